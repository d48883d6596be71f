import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from mentor247.templatetags.mentor_time import local_clock
from mentor247.templatetags.when import clock, when, when_text


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


NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def shown(moment: datetime, zone: ZoneInfo, show: Callable[[datetime], str] = when_text) -> str:
    with timezone.override(zone), translation.override("en"):
        return str(show(moment))


def test_a_wall_time_shown_twice_on_the_night_clocks_go_back_names_its_side() -> None:
    # 1 November 2026: New York goes from 02:00 EDT back to 01:00 EST, so 01:30 comes twice.
    edt, est = datetime(2026, 11, 1, 5, 30, tzinfo=UTC), datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert shown(edt, NEW_YORK) == "Sun 1 Nov 2026, 01:30 EDT (America/New_York)"
    assert shown(est, NEW_YORK) == "Sun 1 Nov 2026, 01:30 EST (America/New_York)"
    assert shown(edt, NEW_YORK, when) == (
        '<time datetime="2026-11-01T05:30:00Z">Sun 1 Nov 2026, 01:30 EDT (America/New_York)</time>'
    )
    assert (shown(edt, NEW_YORK, clock), shown(est, NEW_YORK, clock)) == ("01:30 EDT", "01:30 EST")
    # 25 October 2026: Berlin goes from 03:00 CEST back to 02:00 CET, so 02:30 comes twice.
    cest, cet = datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert shown(cest, BERLIN) == "Sun 25 Oct 2026, 02:30 CEST (Europe/Berlin)"
    assert shown(cet, BERLIN) == "Sun 25 Oct 2026, 02:30 CET (Europe/Berlin)"
    # Wall times given with their fold read the same as the moments they stand for.
    assert shown(datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK, fold=0), NEW_YORK, clock) == (
        "01:30 EDT"
    )
    assert shown(datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK, fold=1), NEW_YORK, clock) == (
        "01:30 EST"
    )


def test_a_wall_time_shown_once_carries_no_abbreviation() -> None:
    before, after = (
        datetime(2026, 11, 1, 4, 59, tzinfo=UTC),
        datetime(2026, 11, 1, 7, 0, tzinfo=UTC),
    )
    assert shown(before, NEW_YORK) == "Sun 1 Nov 2026, 00:59 (America/New_York)"
    assert shown(after, NEW_YORK) == "Sun 1 Nov 2026, 02:00 (America/New_York)"
    assert shown(datetime(2026, 11, 1, 5, 0, tzinfo=UTC), NEW_YORK, clock) == "01:00 EDT"
    assert shown(datetime(2026, 11, 1, 6, 59, tzinfo=UTC), NEW_YORK, clock) == "01:59 EST"


def test_a_repeated_wall_time_whose_abbreviation_does_not_tell_the_sides_apart_shows_offsets() -> (
    None
):
    # 26 October 2014: Moscow went from 02:00 MSK (+04) back to 01:00 MSK (+03).
    moscow = ZoneInfo("Europe/Moscow")
    first, second = (
        datetime(2014, 10, 25, 21, 30, tzinfo=UTC),
        datetime(2014, 10, 25, 22, 30, tzinfo=UTC),
    )
    assert (shown(first, moscow, clock), shown(second, moscow, clock)) == (
        "01:30 UTC+04:00",
        "01:30 UTC+03:00",
    )
    # 4 April 2027: Lord Howe Island goes from 02:00 (+11) back to 01:30 (+10:30).
    howe = ZoneInfo("Australia/Lord_Howe")
    first, second = (
        datetime(2027, 4, 3, 14, 45, tzinfo=UTC),
        datetime(2027, 4, 3, 15, 15, tzinfo=UTC),
    )
    assert (shown(first, howe, clock), shown(second, howe, clock)) == (
        "01:45 UTC+11:00",
        "01:45 UTC+10:30",
    )


def test_a_wall_time_skipped_when_clocks_go_forward_is_never_shown() -> None:
    # 8 March 2026 in New York and 29 March 2026 in Berlin: 02:00 to 02:59 does not exist.
    for zone, change in (
        (NEW_YORK, datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        (BERLIN, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
    ):
        for minutes in range(-90, 90):
            assert not shown(change + timedelta(minutes=minutes), zone, clock).startswith("02:")
    # A wall time written into the gap is shown as the moment it stands for.
    assert shown(datetime(2026, 3, 8, 2, 30, tzinfo=NEW_YORK), NEW_YORK) == (
        "Sun 8 Mar 2026, 03:30 (America/New_York)"
    )
    berlin_gap = datetime(2026, 3, 29, 2, 30, tzinfo=BERLIN)
    assert shown(berlin_gap, BERLIN, clock) == "03:30"
    assert shown(berlin_gap, NEW_YORK, clock) == "21:30"


def test_a_mentors_clock_names_its_side_of_a_repeated_hour() -> None:
    for moment, expected in (
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "Sun 01:30 EDT"),
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), "Sun 01:30 EST"),
        (datetime(2026, 11, 1, 7, 30, tzinfo=UTC), "Sun 02:30"),
    ):
        with translation.override("en"):
            assert local_clock(moment.astimezone(NEW_YORK)) == expected


def test_no_template_formats_a_time_of_day_itself() -> None:
    """Times of day reach people through the `when`, `when_text` and `clock` filters, which name
    the side of a repeated hour; the `time` filter and `date` formats with hours do not."""
    root = Path(__file__).resolve().parents[2]
    hours = re.compile(r"""\|\s*time\b|\|\s*date\s*:\s*["'][^"']*[GgHhAaPf]""")
    offenders = [
        f"{path.relative_to(root)}: {line.strip()}"
        for path in sorted(root.glob("**/templates/**/*"))
        if path.is_file() and path.suffix in {".html", ".txt"}
        for line in path.read_text().splitlines()
        if hours.search(line.replace("date:'c'", "").replace('date:"c"', ""))
    ]
    assert offenders == []
