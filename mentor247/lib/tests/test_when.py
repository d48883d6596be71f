from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from mentor247.templatetags.when import when


def test_when_shows_the_moment_in_the_active_zone_and_names_it() -> None:
    moment = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    with timezone.override(ZoneInfo("Asia/Kolkata")), translation.override("en"):
        shown = when(moment)
    assert shown == (
        '<time datetime="2026-11-24T09:00:00Z">Tue 24 Nov 2026, 14:30 (Asia/Kolkata)</time>'
    )
    assert when(None) == ""


def test_when_speaks_the_active_language() -> None:
    moment = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    with timezone.override(ZoneInfo("Europe/Madrid")), translation.override("es"):
        assert "mar 24 Nov 2026, 10:00 (Europe/Madrid)" in when(moment)
