import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def entries(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for every entry but the header."""
    found = []
    for raw in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        block = "\n".join(line for line in raw.splitlines() if not line.startswith("#"))
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgstr")[0].split("msgid", 1)[1]))
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1]))
        found.append((msgid, msgstr, "#, fuzzy" in raw))
    return found


def test_the_spanish_catalogue_translates_every_message() -> None:
    spanish = entries(LOCALE / "es" / "LC_MESSAGES" / "django.po")
    assert len(spanish) > 100
    assert [msgid for msgid, msgstr, fuzzy in spanish if not msgstr or fuzzy] == []


def test_the_catalogues_hold_the_same_messages() -> None:
    english = {msgid for msgid, _, _ in entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")}
    spanish = {msgid for msgid, _, _ in entries(LOCALE / "es" / "LC_MESSAGES" / "django.po")}
    assert english == spanish


def test_every_translatable_message_is_in_the_catalogues(tmp_path: Path) -> None:
    """makemessages, run on a copy of the code, finds nothing the catalogues lack."""
    package = LOCALE.parent
    copy = tmp_path / "mentor247"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "mentor247.settings",
        "VAR_DIR": str(tmp_path / "var"),
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "es", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        timeout=120,
    )
    found = {msgid for msgid, _, _ in entries(copy / "locale" / "es" / "LC_MESSAGES" / "django.po")}
    kept = {msgid for msgid, _, _ in entries(LOCALE / "es" / "LC_MESSAGES" / "django.po")}
    assert sorted(found - kept) == [], "run makemessages and translate the new messages"
    assert sorted(kept - found) == [], "run makemessages --no-obsolete to drop unused messages"
