"""Booking at scale: the open-times API of a busy mentor, and many mentees racing for one time.

The mentor is made through the domain (mentors.demo, then scheduling.domain): weekdays
08:00-12:00 and 13:00-18:00 in London on a 15-minute grid, 10 minutes free around each
session, 30 dates with other hours, and 200 confirmed bookings over the next 90 days (written
with bulk_create, each with its own engagement). The race: 50 mentees, each on a connection
of their own, post the same time to /api/bookings at once; 100 rounds, each for a new time.
"""

import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.api.domain import create_token
from mentor247.api.models import ApiToken
from mentor247.bookings.models import Booking, Engagement
from mentor247.demo.mentors import create_demo_mentor, demo_mentors
from mentor247.mentors.models import MentorProfile, Offering
from mentor247.policies.domain import accept_versions
from mentor247.policies.queries import pending_versions
from mentor247.scheduling.domain import AvailabilityTerms, BookingSettings, replace_availability

Timer = Callable[..., tuple[float, float]]
DOMAIN = "bench-booking.test"
DAYS = 90
BOOKINGS = 200
OVERRIDES = 30
RACERS = 50
RACES = 100
ROUNDS = 100
LONDON = ZoneInfo("Europe/London")
WORKDAY = [(8 * 60, 12 * 60), (13 * 60, 18 * 60)]
# Session starts that never meet each other, with their buffers, on a workday.
STARTS = ((8, 0), (10, 0), (13, 0), (15, 0))


def _person(email: str, *, staff: bool = False) -> User:
    user, _created = User.objects.get_or_create(
        email=email,
        defaults={"name": email.split("@")[0].title(), "password": make_password(None)},
    )
    if staff and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if pending := pending_versions(user):
        accept_versions(user, pending, ip_address=None, user_agent="bench")
    return user


def busy_mentor(seed: int = 5) -> tuple[MentorProfile, Offering]:
    """The bench mentor with fresh availability and bookings from now on."""
    rng = random.Random(seed)
    staff = _person(f"staff@{DOMAIN}", staff=True)
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
    mentee = _person(f"mentee@{DOMAIN}")
    candidates = [
        datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(UTC)
        for day in days
        if day.weekday() < 5
        for hour, minute in STARTS
    ]
    now = timezone.now()
    length = timedelta(minutes=offering.session_minutes)
    pad = timedelta(minutes=10)
    with transaction.atomic():
        Booking.objects.filter(mentor=profile).delete()
        Engagement.objects.filter(mentor=profile).delete()
        starts = sorted(rng.sample(candidates, BOOKINGS))
        engagements = Engagement.objects.bulk_create(
            Engagement(
                mentee=mentee,
                mentor=profile,
                offering=offering,
                credits=1,
                price=offering.price,
                currency=offering.currency,
                platform_fee_rate=settings.PLATFORM_FEE_BASIS_POINTS,
                free_change_hours=settings.BOOKING_FREE_CHANGE_HOURS,
                status=Engagement.Status.ACTIVE,
                created_at=now,
                confirmed_at=now,
                expires_at=now + timedelta(days=DAYS),
            )
            for _start in starts
        )
        Booking.objects.bulk_create(
            Booking(
                engagement=engagement,
                mentor=profile,
                mentee=mentee,
                status=Booking.Status.CONFIRMED,
                starts_at=start,
                ends_at=start + length,
                blocked_from=start - pad,
                blocked_until=start + length + pad,
                created_at=now,
                confirmed_at=now,
            )
            for engagement, start in zip(engagements, starts, strict=True)
        )
    return profile, offering


def race_rounds(profile: MentorProfile, offering: Offering) -> tuple[Counter[int], float, int]:
    """RACES rounds of RACERS mentees posting one time at once; the answers' status codes,
    the seconds the requests took in all, and the rounds with exactly one booking made."""
    mentees = [_person(f"racer{number}@{DOMAIN}") for number in range(RACERS)]
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
    ][:RACES]
    codes: Counter[int] = Counter()
    single_winner = 0
    spent = 0.0
    for moment in times:
        results: list[int] = [0] * RACERS
        barrier = threading.Barrier(RACERS)

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

        threads = [threading.Thread(target=run, args=(i,)) for i in range(RACERS)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        spent += time.perf_counter() - start
        codes.update(results)
        single_winner += results.count(201) == 1 and results.count(409) == RACERS - 1
    return codes, spent, single_winner


def run(*, timed: Timer) -> None:
    # Django logs every 409 as a warning; the race makes thousands on purpose.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    profile, offering = busy_mentor()
    client = Client()
    path = f"/api/mentors/{profile.pk}/offerings/{offering.pk}/open-times"
    now = timezone.now()
    params = {"start": now.isoformat(), "end": (now + timedelta(days=DAYS)).isoformat()}
    first = client.get(path, params)
    assert first.status_code == 200, first.content
    found = len(first.json()["starts"])
    median, p95 = timed(lambda: client.get(path, params), rounds=ROUNDS)
    print(f"database: {connection.vendor}")
    print(
        f"open-times API: {DAYS} days, 15-minute grid, {BOOKINGS} bookings, {OVERRIDES} "
        f"overrides, {offering.session_minutes}-minute sessions -> {found} open times"
    )
    print(f"{'what':<38} {'median ms':>10} {'p95 ms':>8}")
    print(f"{'GET open-times, 90 days':<38} {median:>10.2f} {p95:>8.2f}")
    codes, spent, single = race_rounds(profile, offering)
    requests = sum(codes.values())
    print(
        f"race: {RACES} rounds of {RACERS} mentees for one time: {single} rounds with exactly "
        f"one booking; answers {dict(sorted(codes.items()))}; "
        f"{requests / spent:.0f} requests a second"
    )
