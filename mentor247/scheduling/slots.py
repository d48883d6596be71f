"""The slot engine: when a mentor can start a mentoring session. Pure Python, no database.

A mentor's rules are in their own words: weekly hours (several intervals a day) and date
overrides that replace them, as minutes after local midnight, on the clock of the zone they are
in on that date (their home zone, or a travel zone for a range of dates). Everything else is
an instant in UTC, and all arithmetic is done on instants: a local time is turned into an
instant once, and never moved by adding hours to it.

Clocks that jump. On the day a zone's offset changes, a wall-clock time becomes an instant by
one rule (`instant`): the earliest instant at which the clock shows that time or a later one.
So a time skipped by a spring-forward gap becomes the end of the gap (hours from 02:30 on a
night the clock jumps from 02:00 to 03:00 begin at 03:00), and a time that happens twice in
autumn is its first occurrence (hours of 00:00-02:00 on a night the clock goes back from 02:00
to 01:00 last three hours). Slots start where the mentor's wall clock shows a multiple of the
grid: at both occurrences of a repeated time, and never at a skipped one. Nothing here raises
for a time that does not exist or exists twice.

Since slots are computed from the mentor's clock alone, they are the same instants for every
viewer, whatever the viewer's zone; showing them in that zone is the pages' work.
"""

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
GRIDS = (15, 30, 60)


@dataclass(frozen=True, order=True)
class Interval:
    """Minutes after local midnight, half-open: 0 <= start < end <= 1440 (1440 is midnight
    at the end of the day)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= MINUTES_PER_DAY:
            raise ValueError(f"not an interval of a day: {self.start}-{self.end}")


@dataclass(frozen=True)
class Travel:
    """The mentor is in `time_zone` from `first` to `last`, both dates included."""

    first: date
    last: date
    time_zone: str


@dataclass(frozen=True)
class Rules:
    time_zone: str
    # Seven tuples of intervals, Monday first.
    weekly: tuple[tuple[Interval, ...], ...]
    # The hours of a date, replacing its weekly hours; no intervals is a day off.
    overrides: Mapping[date, tuple[Interval, ...]] = field(default_factory=dict)
    travel: tuple[Travel, ...] = ()
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    notice: timedelta = timedelta(0)
    horizon: timedelta = timedelta(days=365)
    max_per_day: int | None = None
    grid: int = 30

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly hours need seven days")
        if self.grid not in GRIDS:
            raise ValueError(f"grid must be one of {GRIDS}")

    def zone_on(self, day: date) -> ZoneInfo:
        """The zone of the mentor's clock on `day`."""
        for travel in self.travel:
            if travel.first <= day <= travel.last:
                return ZoneInfo(travel.time_zone)
        return ZoneInfo(self.time_zone)

    def hours_on(self, day: date) -> tuple[Interval, ...]:
        hours = self.overrides.get(day)
        return self.weekly[day.weekday()] if hours is None else hours

    def local_date(self, moment: datetime) -> date:
        """The mentor's date at `moment`: its date in the zone the mentor is in on the date it
        has in their home zone."""
        home_day = moment.astimezone(ZoneInfo(self.time_zone)).date()
        return moment.astimezone(self.zone_on(home_day)).date()


@dataclass(frozen=True)
class Span:
    """A stretch of time in UTC, half-open: [start, end)."""

    start: datetime
    end: datetime


def instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The earliest instant at which the clock of `zone` shows `minute` after midnight of
    `day`, or a later time (the end of the gap, for a time a spring-forward skips)."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if _wall(first, zone) == wall:
        return first
    # Skipped: fold=0 reads the time with the offset before the gap, which lands after it;
    # fold=1 with the offset after, which lands before. The gap ends in between, at a whole
    # second (offsets and wall times are whole seconds), found by halving.
    low = int(wall.replace(tzinfo=zone, fold=1).astimezone(UTC).timestamp())
    high = int(first.timestamp())
    if high < low:
        low, high = high, low
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(datetime.fromtimestamp(middle, UTC), zone) >= wall:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def wall_instants(day: date, minute: int, zone: ZoneInfo) -> list[datetime]:
    """Every instant at which the clock of `zone` shows exactly `minute` after midnight of
    `day`: none for a skipped time, two for a repeated one."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    found = []
    for fold in (0, 1):
        moment = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if _wall(moment, zone) == wall and moment not in found:
            found.append(moment)
    return sorted(found)


def _merged(spans: Iterable[Span]) -> list[Span]:
    """Overlapping and touching spans joined, in order."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda span: span.start):
        if merged and span.start <= merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return merged


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def availability(rules: Rules, first: date, last: date) -> list[Span]:
    """The mentor's available time from local date `first` to `last`, as merged UTC spans."""
    spans = []
    for day in _days(first, last):
        zone = rules.zone_on(day)
        for interval in rules.hours_on(day):
            start, end = instant(day, interval.start, zone), instant(day, interval.end, zone)
            if start < end:
                spans.append(Span(start, end))
    return _merged(spans)


def _steady(zone: ZoneInfo, day: date) -> bool:
    """Whether `zone`'s offset is the same at the midnights from the day before `day` to the
    one two days after: then `day`, and the repeated or skipped times of its neighbours, have
    no part in a change of the clock."""
    midnight = datetime.combine(day, time())
    offsets = {zone.utcoffset(midnight + timedelta(days=n)) for n in (-1, 0, 1, 2)}
    return len(offsets) == 1


def _candidates(rules: Rules, day: date) -> Iterator[datetime]:
    """The instants at which the mentor's clock shows a multiple of the grid on `day`: those
    inside the day's hours on a steady day, every one of the day near a change of the clock
    (where hours can hold times the wall clock of the day reads outside them)."""
    zone = rules.zone_on(day)
    hours = rules.hours_on(day)
    midnight = datetime.combine(day, time())
    if _steady(zone, day):
        if not hours:
            return
        offset = zone.utcoffset(midnight)
        assert offset is not None
        # The wall time less the offset, without asking the zone again for each.
        start = midnight - offset
        minutes = sorted(
            {
                minute
                for interval in hours
                for minute in range(
                    -(-interval.start // rules.grid) * rules.grid, interval.end, rules.grid
                )
            }
        )
        for minute in minutes:
            yield (start + timedelta(minutes=minute)).replace(tzinfo=UTC)
        return
    yield from sorted(
        moment
        for minute in range(0, MINUTES_PER_DAY, rules.grid)
        for moment in wall_instants(day, minute, zone)
    )


def free_starts(
    rules: Rules,
    *,
    duration: timedelta,
    start: datetime,
    end: datetime,
    now: datetime,
    busy: Sequence[Span] = (),
    booked_starts: Sequence[datetime] = (),
) -> list[datetime]:
    """The instants in [start, end) at which a mentoring session of `duration` can begin, in
    UTC and in order.

    A start is free when the session lies inside the mentor's hours; the session widened by
    the buffers before and after it meets none of `busy` (bookings and holds, each already
    widened by its own buffers); it is no earlier than `now` plus the notice and earlier than
    `now` plus the horizon; and the mentor's date of it has fewer than `max_per_day` of
    `booked_starts` (the starts of bookings and holds).
    """
    # In UTC before any arithmetic: adding hours to a zone's time moves its wall clock.
    start, end, now = (moment.astimezone(UTC) for moment in (start, end, now))
    lower = max(start, now + rules.notice)
    upper = min(end, now + rules.horizon)
    if lower >= upper:
        return []
    # A day's hours can reach into the UTC days before and after it.
    first = rules.local_date(lower) - timedelta(days=1)
    last = rules.local_date(upper) + timedelta(days=1)
    free = availability(rules, first, last)
    free_starts_at = [span.start for span in free]
    taken = _merged(busy)
    taken_ends = [span.end for span in taken]
    per_day = Counter(rules.local_date(moment) for moment in booked_starts)
    found = []
    for day in _days(first, last):
        for moment in _candidates(rules, day):
            if not lower <= moment < upper:
                continue
            finish = moment + duration
            index = bisect_right(free_starts_at, moment) - 1
            if index < 0 or free[index].end < finish:
                continue
            padded_start, padded_end = moment - rules.buffer_before, finish + rules.buffer_after
            index = bisect_right(taken_ends, padded_start)
            if index < len(taken) and taken[index].start < padded_end:
                continue
            cap = rules.max_per_day
            if cap is not None and per_day[rules.local_date(moment)] >= cap:
                continue
            found.append(moment)
    return sorted(set(found))


def why_not_free(rules: Rules, moment: datetime, *, now: datetime) -> str | None:
    """Why no session can begin at `moment` for a reason of the rules alone, as a code: "past",
    "too_soon" (inside the notice), "beyond_horizon" or "off_grid" (not a time the mentor's
    clock shows on their grid). None when none of these holds: then the time is outside the
    mentor's hours, or taken, or their day is full."""
    moment, now = moment.astimezone(UTC), now.astimezone(UTC)
    if moment < now:
        return "past"
    if moment < now + rules.notice:
        return "too_soon"
    if moment >= now + rules.horizon:
        return "beyond_horizon"
    local = moment.astimezone(rules.zone_on(rules.local_date(moment)))
    if local.second or local.microsecond or (local.hour * 60 + local.minute) % rules.grid:
        return "off_grid"
    return None
