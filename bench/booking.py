"""Booking at scale: the open-times API of a busy mentor, and many mentees racing for one time.

The mentor is made through the domain (demo.mentors, then scheduling.domain): weekdays
08:00-12:00 and 13:00-18:00 in London on a 15-minute grid, 10 minutes free around each
session, 30 dates with other hours, and 200 confirmed sessions over the next 90 days, each
booked with bookings.domain.book and paid with the sandbox's test card (a later run first
closes the sessions an earlier one left). The race: 50 mentees, each on a connection of their
own, post the same time to /api/bookings at once; 100 rounds, each for a new time.

Smoke mode (SMOKE): 5 sessions, one request timed, one race of 3 mentees; nothing judged.
"""

import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.people import confirmed, end_active_sessions, person
from mentor247.api.domain import create_token
from mentor247.api.models import ApiToken
from mentor247.bookings.queries import open_times
from mentor247.demo.mentors import create_demo_mentor, demo_mentors
from mentor247.mentors.models import MentorProfile, Offering
from mentor247.scheduling.domain import AvailabilityTerms, BookingSettings, replace_availability

Timer = Callable[..., tuple[float, float]]
DOMAIN = "bench-booking.test"
DAYS = 90
OVERRIDES = 30


@dataclass(frozen=True)
class Sizes:
    bookings: int = 200
    racers: int = 50
    races: int = 100
    rounds: int = 100  # of the open-times request


FULL = Sizes()
SMOKE = Sizes(bookings=5, racers=3, races=1, rounds=1)
LONDON = ZoneInfo("Europe/London")
WORKDAY = [(8 * 60, 12 * 60), (13 * 60, 18 * 60)]
# Starts of 30-minute sessions that never meet each other, with their buffers, on a workday;
# each leaves room for the 10 minutes before it within the mentor's hours.
STARTS = ((8, 15), (10, 0), (11, 15), (13, 15), (15, 0), (16, 30))


def busy_mentor(seed: int = 5, *, bookings: int = FULL.bookings) -> tuple[MentorProfile, Offering]:
    """The bench mentor with fresh availability and `bookings` confirmed sessions of their
    shortest offering from tomorrow on, at starts of STARTS on weekdays that their hours
    leave open."""
    rng = random.Random(seed)
    staff = person(f"staff@{DOMAIN}", staff=True)
    demo = next(demo_mentors(1, domain=DOMAIN))
    profile = create_demo_mentor(demo, staff=staff, password_hash=make_password(None))
    offering = profile.offerings.current().order_by("session_minutes", "pk").first()
    assert offering is not None
    today = timezone.now().astimezone(LONDON).date()
    days = [today + timedelta(days=n) for n in range(1, DAYS)]
    overrides: dict[date, list[tuple[int, int]]] = {}
    for day in rng.sample(days, OVERRIDES):
        opening = rng.choice((7, 9, 10)) * 60
        overrides[day] = [] if rng.random() < 0.4 else [(opening, opening + 6 * 60)]
    replace_availability(
        profile,
        AvailabilityTerms(
            weekly_hours=[WORKDAY] * 5 + [[], []],
            settings=BookingSettings(
                buffer_before=10,
                buffer_after=10,
                minimum_notice=0,
                horizon_days=DAYS,
                slot_grid=15,
            ),
            overrides=overrides,
        ),
    )
    mentee = person(f"mentee@{DOMAIN}")
    end_active_sessions(profile)
    # The starts of STARTS that the mentor's hours (overrides included) leave open.
    now = timezone.now()
    open_now = set(
        open_times(
            profile, minutes=offering.session_minutes, start=now, end=now + timedelta(days=DAYS)
        )
    )
    candidates = [
        start
        for day in days
        if day.weekday() < 5
        for hour, minute in STARTS
        if (start := datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON))
        in open_now
    ]
    if len(candidates) < bookings:
        raise RuntimeError(f"only {len(candidates)} open starts for {bookings} sessions")
    for start in sorted(rng.sample(candidates, bookings)):
        confirmed(offering, mentee, start)
    return profile, offering


def race_rounds(
    profile: MentorProfile, offering: Offering, sizes: Sizes
) -> tuple[Counter[int], float, int]:
    """`sizes.races` rounds of `sizes.racers` mentees posting one time at once; the answers'
    status codes, the seconds the requests took in all, and the rounds with exactly one
    booking made."""
    racers = sizes.racers
    mentees = [person(f"racer{number}@{DOMAIN}") for number in range(racers)]
    ApiToken.objects.filter(user__in=mentees).delete()  # an earlier run's
    secrets = [create_token(mentee, name="bench")[1] for mentee in mentees]
    # Times on Saturdays, which the bench mentor keeps free, opened for the race.
    today = timezone.now().astimezone(LONDON).date()
    days = (today + timedelta(days=n) for n in range(2, DAYS))
    saturdays = [day for day in days if day.weekday() == 5]
    availability_terms = AvailabilityTerms(
        weekly_hours=[WORKDAY] * 5 + [[(0, 24 * 60)], []],
        settings=BookingSettings(minimum_notice=0, horizon_days=DAYS, slot_grid=15),
    )
    replace_availability(profile, availability_terms)
    times = [
        datetime(day.year, day.month, day.day, 0, 0, tzinfo=LONDON).astimezone(UTC)
        + timedelta(minutes=90 * n)
        for day in saturdays
        for n in range(12)
    ][: sizes.races]
    codes: Counter[int] = Counter()
    single_winner = 0
    spent = 0.0
    for moment in times:
        results: list[int] = [0] * racers
        barrier = threading.Barrier(racers)

        def run(
            index: int,
            when: datetime = moment,
            barrier: threading.Barrier = barrier,
            results: list[int] = results,
        ) -> None:
            client = Client(headers={"Authorization": f"Bearer {secrets[index]}"})
            body = f'{{"offering_id": {offering.pk}, "start": "{when.isoformat()}"}}'
            try:
                barrier.wait()
                results[index] = client.post(
                    "/api/bookings", body, content_type="application/json"
                ).status_code
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(racers)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        spent += time.perf_counter() - start
        codes.update(results)
        single_winner += results.count(201) == 1 and results.count(409) == racers - 1
    return codes, spent, single_winner


def run(*, timed: Timer, sizes: Sizes = FULL) -> None:
    # Django logs every 409 as a warning; the race makes thousands on purpose.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    profile, offering = busy_mentor(bookings=sizes.bookings)
    client = Client()
    path = f"/api/mentors/{profile.pk}/offerings/{offering.pk}/open-times"
    now = timezone.now()
    params = {"start": now.isoformat(), "end": (now + timedelta(days=DAYS)).isoformat()}
    first = client.get(path, params)
    assert first.status_code == 200, first.content
    found = len(first.json()["starts"])
    median, p95 = timed(lambda: client.get(path, params), rounds=sizes.rounds)
    print(f"database: {connection.vendor}")
    print(
        f"open-times API: {DAYS} days, 15-minute grid, {sizes.bookings} bookings, {OVERRIDES} "
        f"overrides, {offering.session_minutes}-minute sessions -> {found} open times"
    )
    print(f"{'what':<38} {'median ms':>10} {'p95 ms':>8}")
    print(f"{'GET open-times, 90 days':<38} {median:>10.2f} {p95:>8.2f}")
    codes, spent, single = race_rounds(profile, offering, sizes)
    requests = sum(codes.values())
    print(
        f"race: {sizes.races} rounds of {sizes.racers} mentees for one time: {single} rounds "
        f"with exactly one booking; answers {dict(sorted(codes.items()))}; "
        f"{requests / spent:.0f} requests a second"
    )
