"""Bookings made at the same moment from separate connections: never two for one time."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from mentor247.bookings import domain
from mentor247.bookings.domain import Busy, Conflict
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.conftest import make_user, race

pytestmark = pytest.mark.django_db(transaction=True)


def outcomes(results: list[object]) -> tuple[int, int]:
    """(bookings made, refused: the time taken, or busy); anything else fails the test."""
    unexpected = [r for r in results if not isinstance(r, Booking | Conflict | Busy)]
    assert unexpected == []
    return (
        sum(isinstance(r, Booking) for r in results),
        sum(isinstance(r, Conflict | Busy) for r in results),
    )


@pytest.fixture
def mentor_and_mentees(transactional_db: None) -> tuple[Bookable, list]:
    bookable = make_bookable("max.mentor@example.com")
    mentees = [make_user(f"mentee{number}@example.com") for number in range(6)]
    return bookable, mentees


def test_six_mentees_asking_for_one_time_get_one_booking(mentor_and_mentees: tuple) -> None:
    bookable, mentees = mentor_and_mentees
    results = race(
        *(lambda m=mentee: domain.book(bookable.hour, m, at(3, 10)) for mentee in mentees)
    )
    assert outcomes(results) == (1, 5)
    assert Booking.objects.filter(status__in=Booking.ACTIVE).count() == 1


def test_overlapping_times_of_different_lengths_get_one_booking(
    mentor_and_mentees: tuple,
) -> None:
    bookable, mentees = mentor_and_mentees
    results = race(
        lambda: domain.book(bookable.hour, mentees[0], at(3, 10)),  # 10:00-11:00
        lambda: domain.book(bookable.half_hour, mentees[1], at(3, 10, 30)),  # 10:30-11:00
        lambda: domain.book(bookable.half_hour, mentees[2], at(3, 10, 45)),  # 10:45-11:15
    )
    assert outcomes(results) == (1, 2)


def test_adjacent_times_are_both_booked(mentor_and_mentees: tuple) -> None:
    bookable, mentees = mentor_and_mentees
    results = race(
        lambda: domain.book(bookable.half_hour, mentees[0], at(3, 10)),  # 10:00-10:30
        lambda: domain.book(bookable.half_hour, mentees[1], at(3, 10, 30)),  # 10:30-11:00
    )
    assert outcomes(results) == (2, 0)


def test_a_mentee_booking_two_mentors_at_once_gets_one(mentor_and_mentees: tuple) -> None:
    bookable, mentees = mentor_and_mentees
    other = make_bookable("ola.other@example.com")
    results = race(
        lambda: domain.book(bookable.hour, mentees[0], at(3, 10)),
        lambda: domain.book(other.hour, mentees[0], at(3, 10, 30)),
    )
    assert outcomes(results) == (1, 1)
    assert Booking.objects.filter(mentee=mentees[0], status__in=Booking.ACTIVE).count() == 1


def test_two_confirms_of_competing_holds_confirm_one(mentor_and_mentees: tuple) -> None:
    bookable, mentees = mentor_and_mentees
    ten, half_past = at(3, 10), at(3, 10, 30)  # fixed before the clock moves
    first = domain.book(bookable.hour, mentees[0], ten)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        # The first hold ran out; another mentee holds an overlapping time; both payments
        # arrive at once.
        second = domain.book(bookable.hour, mentees[1], half_past)
        results = race(
            lambda: domain.confirm_booking(first.pk), lambda: domain.confirm_booking(second.pk)
        )
    assert outcomes(results) == (1, 1)
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "expired", second.pk: "confirmed"}


def test_postgresql_itself_refuses_overlapping_bookings(mentor_and_mentees: tuple) -> None:
    """The last guard, without the domain's lock and check: the exclusion constraints."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no exclusion constraints; the domain checks under its lock")
    from django.db import IntegrityError, transaction

    bookable, mentees = mentor_and_mentees
    booking = domain.book(bookable.hour, mentees[0], at(3, 10))

    def copy(**changes: object) -> None:
        fields = {
            field.attname: getattr(booking, field.attname)
            for field in Booking._meta.concrete_fields
            if field.attname not in ("id", "uid", "idempotency_key")
        }
        with transaction.atomic():
            Booking.objects.create(**{**fields, **changes})

    with pytest.raises(IntegrityError, match="bookings_mentor_time_once"):
        copy(mentee_id=mentees[1].pk, blocked_from=at(3, 10, 59), starts_at=at(3, 10, 59))
    with pytest.raises(IntegrityError, match="bookings_mentee_time_once"):
        other = make_bookable("ola.other@example.com")
        copy(mentor_id=other.profile.pk, starts_at=at(3, 10, 30), blocked_from=at(3, 10, 30),
             ends_at=at(3, 11, 30), blocked_until=at(3, 11, 30))  # fmt: skip
    copy(mentee_id=mentees[1].pk, starts_at=at(3, 11), blocked_from=at(3, 11),
         ends_at=at(3, 12), blocked_until=at(3, 12))  # fmt: skip  # touching: fine
    copy(status="cancelled")  # only active bookings count
