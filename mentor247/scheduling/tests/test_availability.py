"""Writing a mentor's availability, and the free times read from it."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mentor247.accounts.models import User
from mentor247.bookings.queries import open_times
from mentor247.scheduling.domain import (
    AvailabilityTerms,
    BookingSettings,
    replace_availability,
)
from mentor247.scheduling.models import Availability, DateOverride
from mentor247.scheduling.models import Travel as Trip
from mentor247.scheduling.slots import Travel

pytestmark = pytest.mark.django_db

NINE_TO_NOON = [(9 * 60, 12 * 60)]
MONDAYS = [NINE_TO_NOON, [], [], [], [], [], []]


def test_availability_is_replaced_whole(mentor: User) -> None:
    profile = mentor.mentor_profile
    replace_availability(
        profile,
        AvailabilityTerms(
            weekly_hours=MONDAYS,
            settings=BookingSettings(buffer_before=10, horizon_days=30, max_per_day=2),
            overrides={date(2026, 12, 7): [], date(2026, 12, 8): [(600, 660)]},
            travel=[Travel(date(2026, 12, 14), date(2026, 12, 20), "Asia/Tokyo")],
        ),
    )
    availability = Availability.objects.get(profile=profile)
    assert availability.weekly_hours == [[[540, 720]], [], [], [], [], [], []]
    assert (availability.buffer_before, availability.horizon_days) == (10, 30)
    assert DateOverride.objects.count() == 2

    replace_availability(profile, AvailabilityTerms(weekly_hours=[[]] * 7))
    availability.refresh_from_db()
    assert availability.weekly_hours == [[]] * 7
    assert (availability.buffer_before, availability.max_per_day) == (0, None)
    assert (DateOverride.objects.count(), Trip.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        (AvailabilityTerms(weekly_hours=[[(600, 540)]] + [[]] * 6), "weekly_hours"),
        (AvailabilityTerms(weekly_hours=[[(540, 700), (660, 720)]] + [[]] * 6), "weekly_hours"),
        (AvailabilityTerms(weekly_hours=[[]] * 6), "weekly_hours"),
        (AvailabilityTerms(weekly_hours=[[(0, 1441)]] + [[]] * 6), "weekly_hours"),
        (AvailabilityTerms(MONDAYS, BookingSettings(horizon_days=400)), "horizon_days"),
        (AvailabilityTerms(MONDAYS, BookingSettings(slot_grid=20)), "slot_grid"),
        (AvailabilityTerms(MONDAYS, BookingSettings(buffer_after=500)), "buffer_before"),
        (AvailabilityTerms(MONDAYS, BookingSettings(max_per_day=0)), "max_per_day"),
        (AvailabilityTerms(MONDAYS, overrides={date(2026, 1, 1): [(60, 30)]}), "overrides"),
        (
            AvailabilityTerms(
                MONDAYS, travel=[Travel(date(2026, 1, 2), date(2026, 1, 1), "Asia/Tokyo")]
            ),
            "travel",
        ),
        (
            AvailabilityTerms(
                MONDAYS, travel=[Travel(date(2026, 1, 1), date(2026, 1, 2), "Mars/Base")]
            ),
            "travel",
        ),
        (
            AvailabilityTerms(
                MONDAYS,
                travel=[
                    Travel(date(2026, 1, 1), date(2026, 1, 5), "Asia/Tokyo"),
                    Travel(date(2026, 1, 5), date(2026, 1, 9), "Asia/Seoul"),
                ],
            ),
            "travel",
        ),
    ],
)
def test_bad_availability_is_refused_and_changes_nothing(
    mentor: User, terms: AvailabilityTerms, field: str
) -> None:
    profile = mentor.mentor_profile
    replace_availability(profile, AvailabilityTerms(weekly_hours=MONDAYS))
    with pytest.raises(ValidationError) as refused:
        replace_availability(profile, terms)
    assert list(refused.value.message_dict) == [field]
    assert Availability.objects.get(profile=profile).weekly_hours[0] == [[540, 720]]


def test_free_times_follow_the_mentors_hours_in_their_zone(mentor: User) -> None:
    profile = mentor.mentor_profile  # Europe/London
    replace_availability(
        profile,
        AvailabilityTerms(
            weekly_hours=MONDAYS,
            settings=BookingSettings(minimum_notice=60, slot_grid=60),
            overrides={date(2026, 12, 14): []},
            travel=[Travel(date(2026, 12, 21), date(2026, 12, 21), "America/New_York")],
        ),
    )
    with time_machine.travel(datetime(2026, 12, 7, 8, 30, tzinfo=UTC), tick=False):
        found = open_times(
            profile,
            minutes=60,
            start=datetime(2026, 12, 7, tzinfo=UTC),
            end=datetime(2026, 12, 22, tzinfo=UTC),
        )
    # Monday 7th: 09:00 GMT is within the hour's notice; the 14th is a day off; on the 21st
    # the mentor is in New York (-05:00).
    assert [moment.isoformat() for moment in found] == [
        "2026-12-07T10:00:00+00:00",
        "2026-12-07T11:00:00+00:00",
        "2026-12-21T14:00:00+00:00",
        "2026-12-21T15:00:00+00:00",
        "2026-12-21T16:00:00+00:00",
    ]


def test_a_mentor_without_availability_has_no_free_times(mentor: User) -> None:
    found = open_times(
        mentor.mentor_profile,
        minutes=60,
        start=datetime(2026, 12, 7, tzinfo=UTC),
        end=datetime(2026, 12, 22, tzinfo=UTC),
    )
    assert found == []
