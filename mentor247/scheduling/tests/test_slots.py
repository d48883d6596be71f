"""The slot engine, with the expected UTC instants of each case worked out by hand."""

import itertools
import os
from bisect import bisect_left
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentor247.scheduling.slots import (
    GRIDS,
    Interval,
    Rules,
    Span,
    Travel,
    free_starts,
    instant,
)

HOUR = timedelta(hours=1)
MINUTES = timedelta(minutes=1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def every_day(*intervals: tuple[int, int]) -> tuple[tuple[Interval, ...], ...]:
    return tuple(tuple(Interval(start, end) for start, end in intervals) for _ in range(7))


def hours(start: str, end: str) -> tuple[int, int]:
    def minutes(text: str) -> int:
        hh, mm = text.split(":")
        return int(hh) * 60 + int(mm)

    return minutes(start), minutes(end)


def starts_on(
    rules: Rules, day: str, *, minutes: int = 30, now: str = "", **kwargs: object
) -> list[str]:
    """The free starts from the UTC day before `day` to the one after, as UTC text (seen a
    week before, unless `now` says otherwise)."""
    middle = utc(f"{day}T00:00")
    found = free_starts(
        rules,
        duration=timedelta(minutes=minutes),
        start=middle - timedelta(days=1),
        end=middle + timedelta(days=2),
        now=utc(now) if now else middle - timedelta(days=7),
        **kwargs,  # type: ignore[arg-type]
    )
    return [moment.strftime("%m-%d %H:%M") for moment in found]


def starts_between(rules: Rules, start: str, end: str, *, minutes: int = 30) -> list[str]:
    """The free starts in [start, end) (UTC), as UTC text, seen a week before."""
    found = free_starts(
        rules,
        duration=timedelta(minutes=minutes),
        start=utc(start),
        end=utc(end),
        now=utc(start) - timedelta(days=7),
    )
    return [moment.strftime("%m-%d %H:%M") for moment in found]


# Clocks that jump ------------------------------------------------------------------------


def test_a_spring_forward_gap_has_no_slots_and_shortens_the_day() -> None:
    # London, 2026-03-29: at 01:00 UTC the clock jumps from 01:00 to 02:00. Hours 00:00-03:00
    # are two real hours: 00:00 and 00:30 GMT (= UTC), then 02:00 and 02:30 BST (01:00, 01:30
    # UTC); 01:00 and 01:30 never show on the clock.
    rules = Rules("Europe/London", every_day(hours("00:00", "03:00")), grid=30)
    found = starts_between(rules, "2026-03-28T12:00", "2026-03-29T12:00")
    assert found == ["03-29 00:00", "03-29 00:30", "03-29 01:00", "03-29 01:30"]


def test_hours_that_begin_in_the_gap_begin_when_it_ends() -> None:
    # From 01:30 on 2026-03-29 in London: 01:30 is skipped, so the hours begin at 02:00 BST
    # (01:00 UTC) and last until 03:00 BST (02:00 UTC).
    assert instant(date(2026, 3, 29), 90, ZoneInfo("Europe/London")) == utc("2026-03-29T01:00")
    rules = Rules("Europe/London", every_day(hours("01:30", "03:00")), grid=30)
    assert starts_between(rules, "2026-03-28T12:00", "2026-03-29T12:00", minutes=60) == [
        "03-29 01:00"
    ]


def test_hours_that_begin_in_the_gap_begin_exactly_when_it_ends() -> None:
    # New York, 2026-03-08: at 07:00 UTC the clock jumps from 02:00 to 03:00 (EDT). Hours
    # from 02:10 begin at 03:00 EDT, 07:00 UTC to the second, so 03:00 is a start.
    new_york = ZoneInfo("America/New_York")
    assert instant(date(2026, 3, 8), 130, new_york) == utc("2026-03-08T07:00")
    rules = Rules("America/New_York", every_day(hours("02:10", "05:00")), grid=30)
    found = starts_between(rules, "2026-03-08T06:00", "2026-03-08T10:00", minutes=60)
    assert found == ["03-08 07:00", "03-08 07:30", "03-08 08:00"]


def test_a_repeated_hour_has_slots_at_both_times() -> None:
    # London, 2026-10-25: at 01:00 UTC the clock goes back from 02:00 BST to 01:00 GMT.
    # Hours 00:00-03:00 last four real hours: 00:00 BST (23:00 UTC the day before), 01:00 BST
    # (00:00 UTC), 01:00 GMT (01:00 UTC) and 02:00 GMT (02:00 UTC), ending at 03:00 GMT.
    rules = Rules("Europe/London", every_day(hours("00:00", "03:00")), grid=60)
    found = starts_between(rules, "2026-10-24T12:00", "2026-10-25T12:00", minutes=60)
    assert found == ["10-24 23:00", "10-25 00:00", "10-25 01:00", "10-25 02:00"]


def test_a_time_that_happens_twice_starts_hours_at_its_first_occurrence() -> None:
    # 01:30 on 2026-10-25 in London happens at 00:30 UTC (BST) and 01:30 UTC (GMT): hours
    # from 01:30 to 02:00 run from the first to 02:00 GMT, an hour and a half, and hold the
    # clock's second 01:00 too (01:00 UTC), which is a multiple of the grid.
    assert instant(date(2026, 10, 25), 90, ZoneInfo("Europe/London")) == utc("2026-10-25T00:30")
    rules = Rules("Europe/London", every_day(hours("01:30", "02:00")), grid=30)
    found = starts_between(rules, "2026-10-24T12:00", "2026-10-25T12:00")
    assert found == ["10-25 00:30", "10-25 01:00", "10-25 01:30"]


def test_a_half_hour_daylight_saving_shift() -> None:
    # Lord Howe Island: +11:00 in summer, +10:30 in winter. 2026-04-05 at 02:00 the clock goes
    # back to 01:30 (15:00 UTC). Hours 01:00-03:00: 01:00 and 01:30 at +11 (14:00, 14:30 UTC),
    # 01:30 again at +10:30 (15:00), then 02:00 and 02:30 (15:30, 16:00); the end, 03:00, is
    # 16:30 UTC.
    rules = Rules("Australia/Lord_Howe", every_day(hours("01:00", "03:00")), grid=30)
    found = starts_between(rules, "2026-04-04T06:00", "2026-04-05T06:00")
    assert found == ["04-04 14:00", "04-04 14:30", "04-04 15:00", "04-04 15:30", "04-04 16:00"]
    # 2026-10-04: at 02:00 (+10:30, 15:30 UTC) the clock jumps to 02:30 (+11). Hours
    # 01:00-04:00 are 2.5 real hours, 14:30 to 17:00 UTC; an hour's mentoring starts at 01:00,
    # 01:30, 02:30 or 03:00 local, never at the skipped 02:00.
    rules = Rules("Australia/Lord_Howe", every_day(hours("01:00", "04:00")), grid=30)
    found = starts_between(rules, "2026-10-03T06:00", "2026-10-04T06:00", minutes=60)
    assert found == ["10-03 14:30", "10-03 15:00", "10-03 15:30", "10-03 16:00"]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Kathmandu", ["12-01 03:15", "12-01 04:15"]),  # +05:45
        ("Asia/Kolkata", ["12-01 03:30", "12-01 04:30"]),  # +05:30
        ("Australia/Eucla", ["12-01 00:15", "12-01 01:15"]),  # +08:45
        ("America/St_Johns", ["12-01 12:30", "12-01 13:30"]),  # -03:30 in winter
    ],
)
def test_zones_with_half_and_three_quarter_hour_offsets(zone: str, expected: list[str]) -> None:
    weekly = tuple(() if day != 1 else (Interval(*hours("09:00", "11:00")),) for day in range(7))
    rules = Rules(zone, weekly, grid=60)  # Tuesdays only; 2026-12-01 is a Tuesday
    assert starts_on(rules, "2026-12-01", minutes=60) == expected


# Bookings, buffers, notice, horizon and the daily cap --------------------------------------


def test_buffers_pad_both_the_new_session_and_existing_ones() -> None:
    rules = Rules(
        "UTC",
        every_day(hours("09:00", "12:00")),
        grid=30,
        buffer_before=timedelta(minutes=15),
        buffer_after=timedelta(minutes=15),
    )
    # A booking 10:00-10:30 with buffers of 15 minutes holds 09:45-10:45.
    busy = [Span(utc("2026-06-10T09:45"), utc("2026-06-10T10:45"))]
    found = starts_on(rules, "2026-06-10", busy=busy)
    # 09:00 (padded 08:45-09:45) and 11:00 (10:45-11:45) touch it; 11:30's padding may run
    # past the hours.
    assert [start for start in found if start.startswith("06-10")] == [
        "06-10 09:00",
        "06-10 11:00",
        "06-10 11:30",
    ]


def test_ranges_are_half_open_so_adjacent_sessions_fit() -> None:
    rules = Rules("UTC", every_day(hours("09:00", "12:00")), grid=30)
    busy = [Span(utc("2026-06-10T10:00"), utc("2026-06-10T10:30"))]
    found = [s for s in starts_on(rules, "2026-06-10", busy=busy) if s.startswith("06-10")]
    assert found == ["06-10 09:00", "06-10 09:30", "06-10 10:30", "06-10 11:00", "06-10 11:30"]


def test_a_longer_session_needs_all_of_its_time_free() -> None:
    rules = Rules("UTC", every_day(hours("09:00", "12:00")), grid=30)
    busy = [Span(utc("2026-06-10T10:30"), utc("2026-06-10T11:00"))]
    found = [s for s in starts_on(rules, "2026-06-10", minutes=90, busy=busy) if "06-10" in s]
    assert found == ["06-10 09:00"]  # 09:00-10:30; 11:00-12:30 runs past the hours


def test_notice_and_horizon() -> None:
    rules = Rules(
        "UTC", every_day(hours("09:00", "12:00")), grid=60, notice=2 * HOUR, horizon=2 * HOUR
    )
    found = starts_on(rules, "2026-06-10", minutes=60, now="2026-06-10T08:10")
    assert found == []  # from 10:10 (notice) to 10:10 (horizon): nothing
    rules = Rules(
        "UTC", every_day(hours("09:00", "12:00")), grid=60, notice=2 * HOUR, horizon=28 * HOUR
    )
    found = starts_on(rules, "2026-06-10", minutes=60, now="2026-06-10T08:10")
    assert found == ["06-10 11:00", "06-11 09:00", "06-11 10:00", "06-11 11:00"]


def test_the_daily_cap_counts_on_the_mentors_date() -> None:
    # Tokyo is +09:00: a booking at 23:30 UTC on 06-09 is on the mentor's 06-10.
    rules = Rules("Asia/Tokyo", every_day(hours("09:00", "11:00")), grid=60, max_per_day=1)
    booked = [utc("2026-06-09T23:30")]
    busy = [Span(utc("2026-06-09T23:30"), utc("2026-06-10T00:00"))]
    found = starts_on(rules, "2026-06-10", minutes=60, busy=busy, booked_starts=booked)
    # 06-10 09:00 and 10:00 Tokyo (00:00, 01:00 UTC) are capped; 06-09 and 06-11 are not.
    assert found == ["06-09 00:00", "06-09 01:00", "06-11 00:00", "06-11 01:00"]


# Overrides and travel ------------------------------------------------------------------------


def test_overrides_replace_the_weekly_hours_of_their_date() -> None:
    rules = Rules(
        "UTC",
        every_day(hours("09:00", "10:00")),
        grid=60,
        overrides={
            date(2026, 6, 10): (),  # a day off
            date(2026, 6, 11): (Interval(*hours("14:00", "16:00")),),
        },
    )
    found = starts_on(rules, "2026-06-10", minutes=60)
    assert found == ["06-09 09:00", "06-11 14:00", "06-11 15:00"]


def test_travel_moves_the_hours_to_another_zone_for_its_dates() -> None:
    # At home in London (+01:00 in June); in New York (-04:00) on 06-10 and 06-11.
    rules = Rules(
        "Europe/London",
        every_day(hours("09:00", "10:00")),
        grid=60,
        travel=(Travel(date(2026, 6, 10), date(2026, 6, 11), "America/New_York"),),
    )
    found = starts_on(rules, "2026-06-10", minutes=60)
    assert found == ["06-09 08:00", "06-10 13:00", "06-11 13:00"]


def test_hours_up_to_midnight_join_the_next_days() -> None:
    weekly = every_day(hours("22:00", "24:00"), hours("00:00", "01:00"))
    rules = Rules("UTC", weekly, grid=60)
    assert "06-10 23:00" in starts_on(rules, "2026-06-10", minutes=90)


def test_bad_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="interval"):
        Interval(600, 600)
    with pytest.raises(ValueError, match="grid"):
        Rules("UTC", every_day(), grid=20)
    with pytest.raises(ValueError, match="seven"):
        Rules("UTC", ())


# Properties over random zones and rules -------------------------------------------------------

ZONES = sorted(available_timezones() - {"localtime", "Factory"})


def offset_changes(zone: ZoneInfo, year: int) -> list[date]:
    """The dates in `year` on which `zone`'s offset changes (none for many zones)."""
    found = []
    day = date(year, 1, 1)
    previous = zone.utcoffset(datetime(year, 1, 1))
    while day.year == year:
        offset = zone.utcoffset(datetime.combine(day + timedelta(days=1), datetime.min.time()))
        if offset != previous:
            found.append(day)
        previous = offset
        day += timedelta(days=1)
    return found


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, object]:
    zone_name = draw(st.sampled_from(ZONES))
    zone = ZoneInfo(zone_name)
    year = draw(st.integers(2024, 2030))
    changes = offset_changes(zone, year)
    on_a_change: bool = draw(st.booleans())
    if changes and on_a_change:
        day = draw(st.sampled_from(changes))  # a day the clock jumps
    else:
        day = date(year, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    quarter = st.integers(0, 95).map(lambda q: q * 15)

    def day_hours() -> tuple[Interval, ...]:
        intervals = []
        for _ in range(draw(st.integers(0, 2))):
            start = draw(quarter)
            end = min(start + draw(st.integers(1, 40)) * 15, 1440)
            intervals.append(Interval(start, end))
        return tuple(intervals)

    weekly = tuple(day_hours() for _ in range(7))
    overrides = {day: day_hours()} if draw(st.booleans()) else {}
    window_start = datetime.combine(day, datetime.min.time(), UTC) - timedelta(days=1)
    busy = []
    for _ in range(draw(st.integers(0, 3))):
        start = window_start + timedelta(minutes=draw(st.integers(0, 3 * 24 * 4)) * 15)
        busy.append(Span(start, start + timedelta(minutes=draw(st.sampled_from((30, 45, 60))))))
    rules = Rules(
        zone_name,
        weekly,
        overrides=overrides,
        grid=draw(st.sampled_from(GRIDS)),
        buffer_before=timedelta(minutes=draw(st.sampled_from((0, 5, 15)))),
        buffer_after=timedelta(minutes=draw(st.sampled_from((0, 10, 30)))),
        notice=timedelta(minutes=draw(st.integers(0, 48)) * 30),
        max_per_day=draw(st.one_of(st.none(), st.integers(1, 3))),
    )
    return {
        "rules": rules,
        "duration": timedelta(minutes=draw(st.sampled_from((30, 45, 60, 90)))),
        "start": window_start,
        "end": window_start + timedelta(days=3),
        "now": window_start - timedelta(minutes=draw(st.integers(-24 * 4, 24 * 4)) * 15),
        "busy": busy,
        "booked_starts": [span.start for span in busy],
        "viewer": ZoneInfo(draw(st.sampled_from(ZONES))),
    }


def brute_force(scenario: dict[str, object]) -> list[datetime]:
    """The free starts by another road: every minute of the window, read on the mentor's
    clock, against the rules as the module states them."""
    rules: Rules = scenario["rules"]  # type: ignore[assignment]
    duration: timedelta = scenario["duration"]  # type: ignore[assignment]
    start: datetime = scenario["start"]  # type: ignore[assignment]
    end: datetime = scenario["end"]  # type: ignore[assignment]
    now: datetime = scenario["now"]  # type: ignore[assignment]
    busy: list[Span] = scenario["busy"]  # type: ignore[assignment]
    zone = ZoneInfo(rules.time_zone)
    scan_from = start - timedelta(days=2)
    count = int((end - scan_from + timedelta(days=2)) / MINUTES)
    moments = [scan_from + i * MINUTES for i in range(count)]
    walls = [moment.astimezone(zone).replace(tzinfo=None) for moment in moments]
    # The clock first shows a time or a later one when the latest it has shown reaches it.
    latest = list(itertools.accumulate(walls, max))
    available = [False] * count
    day = scan_from.date() - timedelta(days=1)
    while day <= end.date() + timedelta(days=2):
        midnight = datetime.combine(day, datetime.min.time())
        for interval in rules.hours_on(day):
            first = bisect_left(latest, midnight + timedelta(minutes=interval.start))
            last = bisect_left(latest, midnight + timedelta(minutes=interval.end))
            for i in range(first, last):
                available[i] = True
        day += timedelta(days=1)
    per_day = Counter(rules.local_date(booked) for booked in scenario["booked_starts"])  # type: ignore[attr-defined]
    steps = int(duration / MINUTES)
    found = []
    for i, (moment, wall) in enumerate(zip(moments, walls, strict=True)):
        if not (start <= moment < end and now + rules.notice <= moment < now + rules.horizon):
            continue
        if (wall.hour * 60 + wall.minute) % rules.grid or not all(available[i : i + steps]):
            continue
        padded = (moment - rules.buffer_before, moment + duration + rules.buffer_after)
        if any(span.start < padded[1] and span.end > padded[0] for span in busy):
            continue
        cap = rules.max_per_day
        if cap is not None and per_day[rules.local_date(moment)] >= cap:
            continue
        found.append(moment)
    return found


@settings(max_examples=int(os.environ.get("SLOT_EXAMPLES", "200")), deadline=None)
@given(scenarios())
def test_free_starts_are_exactly_the_times_the_rules_allow(scenario: dict[str, object]) -> None:
    """Every start lies inside the hours, meets no padded booking, respects notice, horizon
    and cap, and sits on the grid of the mentor's clock; and none that would is missing."""
    viewer: ZoneInfo = scenario.pop("viewer")  # type: ignore[assignment]
    found = free_starts(**scenario)  # type: ignore[arg-type]
    assert found == brute_force(scenario)
    # The same question asked in the viewer's zone gets the same instants.
    seen_by_viewer = free_starts(
        **{
            **scenario,
            "start": scenario["start"].astimezone(viewer),  # type: ignore[attr-defined]
            "end": scenario["end"].astimezone(viewer),  # type: ignore[attr-defined]
            "now": scenario["now"].astimezone(viewer),  # type: ignore[attr-defined]
        }
    )
    assert seen_by_viewer == found
    assert all(moment.tzinfo is UTC for moment in found)
