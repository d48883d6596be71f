"""Production's static files: every ES module imports the others by their hashed names."""

import re
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "mentor247.lib.static_storage.StaticFilesStorage"},
}


def test_modules_import_each_other_by_their_hashed_names(tmp_path: Path) -> None:
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=STORAGE):
        call_command("collectstatic", interactive=False, verbosity=0)
    rooms = tmp_path / "rooms"
    room = next(
        path
        for path in rooms.glob("room.*.js")
        if re.fullmatch(r"room\.[0-9a-f]{12}\.js", path.name)
    )
    imports = re.findall(r'from "([^"]+)"', room.read_text())
    assert imports, "room.js imports the room's other modules"
    for name in imports:
        assert re.search(r"\.[0-9a-f]{12}\.js$", name), name
        assert (rooms / name).resolve().exists(), name
