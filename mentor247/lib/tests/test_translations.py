import re
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
