"""The slot engine alone: one mentor's free starts over 90 days, in process, no database."""

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from mentor247.scheduling.slots import Interval, Rules, Span, free_starts

Timer = Callable[..., tuple[float, float]]
DAYS = 90
BOOKINGS = 200
OVERRIDES = 30
ROUNDS = 300


def scenario(*, seed: int = 3) -> tuple[Rules, datetime, list[Span], list[datetime]]:
    """A busy mentor in London: weekdays 08:00-12:00 and 13:00-18:00 on a 15-minute grid,
    10 minutes free before and after each session, 12 hours' notice, at most 6 a day; 30
    dates with their own hours (some days off) and 200 bookings over the 90 days."""
    rng = random.Random(seed)
    now = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # the 90 days hold the spring change
    workday = (Interval(8 * 60, 12 * 60), Interval(13 * 60, 18 * 60))
    first_day = now.date()
    overrides: dict[date, tuple[Interval, ...]] = {}
    while len(overrides) < OVERRIDES:
        day = first_day + timedelta(days=rng.randrange(DAYS))
        opening = rng.choice((7, 9, 10)) * 60
        overrides[day] = () if rng.random() < 0.4 else (Interval(opening, opening + 6 * 60),)
    rules = Rules(
        "Europe/London",
        (workday,) * 5 + ((), ()),
        overrides=overrides,
        buffer_before=timedelta(minutes=10),
        buffer_after=timedelta(minutes=10),
        notice=timedelta(hours=12),
        horizon=timedelta(days=DAYS),
        max_per_day=6,
        grid=15,
    )
    busy: list[Span] = []
    starts: list[datetime] = []
    while len(starts) < BOOKINGS:
        start = now + timedelta(minutes=15 * rng.randrange(DAYS * 24 * 4))
        if start.weekday() < 5 and 8 <= start.hour < 17:
            minutes = rng.choice((30, 45, 60, 90))
            busy.append(
                Span(start - timedelta(minutes=10), start + timedelta(minutes=minutes + 10))
            )
            starts.append(start)
    return rules, now, busy, starts


def run(*, timed: Timer, rounds: int = ROUNDS) -> None:
    rules, now, busy, starts = scenario()

    def call() -> list[datetime]:
        return free_starts(
            rules,
            duration=timedelta(minutes=60),
            start=now,
            end=now + timedelta(days=DAYS),
            now=now,
            busy=busy,
            booked_starts=starts,
        )

    found = call()
    median, p95 = timed(call, rounds=rounds)
    print(
        f"slot engine: {DAYS} days, 15-minute grid, {BOOKINGS} bookings, {OVERRIDES} overrides "
        f"-> {len(found)} free starts"
    )
    print(f"{'what':<38} {'median ms':>10} {'p95 ms':>8}")
    print(f"{'free_starts, one call':<38} {median:>10.2f} {p95:>8.2f}")
