"""A bookable mentor: open 08:00-20:00 London time every day, with three offerings."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from mentor247.accounts.models import User
from mentor247.conftest import make_user
from mentor247.mentors import domain as mentors_domain
from mentor247.mentors.domain import OfferingTerms
from mentor247.mentors.models import MentorProfile, Offering
from mentor247.scheduling.domain import AvailabilityTerms, BookingSettings, replace_availability


@dataclass
class Bookable:
    mentor: User
    profile: MentorProfile
    hour: Offering  # one paid hour
    half_hour: Offering  # free, 30 minutes
    package: Offering  # three paid hours


def terms(title: str, *, count: int, minutes: int, price: int) -> OfferingTerms:
    return OfferingTerms(
        title=title,
        description="Mentoring.",
        session_count=count,
        session_minutes=minutes,
        price=price,
        plan=[f"Topic {number}" for number in range(1, count + 1)],
        expected_results="A next step.",
        not_included="Homework.",
        credit_days=30,
    )


def make_bookable(email: str, *, buffers: int = 0) -> Bookable:
    mentor = make_user(email, mentor=True)
    profile = mentor.mentor_profile
    replace_availability(
        profile,
        AvailabilityTerms(
            weekly_hours=[[(8 * 60, 20 * 60)]] * 7,
            settings=BookingSettings(
                minimum_notice=0,
                horizon_days=365,
                slot_grid=15,
                buffer_before=buffers,
                buffer_after=buffers,
            ),
        ),
    )
    return Bookable(
        mentor=mentor,
        profile=profile,
        hour=mentors_domain.add_offering(
            profile, terms("An hour", count=1, minutes=60, price=9000)
        ),
        half_hour=mentors_domain.add_offering(
            profile, terms("A first talk", count=1, minutes=30, price=0)
        ),
        package=mentors_domain.add_offering(
            profile, terms("Three hours", count=3, minutes=60, price=24000)
        ),
    )


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """A UTC time `days` from now, at hour:minute (London is UTC+0 in winter, +1 in summer;
    10:00-16:00 UTC is inside 08:00-20:00 London either way)."""
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)
