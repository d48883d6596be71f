"""Booking, holds, confirmation, packages, cancellation and moving, one request at a time."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.bookings import domain
from mentor247.bookings.domain import Conflict
from mentor247.bookings.models import Booking, BookingChange, Engagement
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.conftest import make_user

pytestmark = pytest.mark.django_db
Status = Booking.Status


@pytest.fixture
def nine_in_the_morning() -> Iterator[None]:
    """Tomorrow at 09:00 UTC, so that "five hours from now" is inside the mentor's hours."""
    with time_machine.travel(at(1, 9)):
        yield


def test_a_paid_session_is_held_for_ten_minutes_then_confirmed(
    bookable: Bookable, mentee: User
) -> None:
    booking = domain.book(bookable.hour, mentee, at(3, 10), first_mentoring=True)
    assert booking.status == Status.HELD
    assert booking.hold_expires_at is not None
    assert timedelta(minutes=9) < booking.hold_expires_at - timezone.now() <= timedelta(minutes=10)
    assert (booking.starts_at, booking.ends_at) == (at(3, 10), at(3, 11))
    engagement = booking.engagement
    assert (engagement.status, engagement.credits, engagement.first_mentoring) == (
        Engagement.Status.PENDING,
        1,
        True,
    )

    confirmed = domain.confirm_booking(booking.pk)
    assert (confirmed.status, confirmed.hold_expires_at) == (Status.CONFIRMED, None)
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE
    assert engagement.expires_at is not None and engagement.confirmed_at is not None
    assert engagement.expires_at - engagement.confirmed_at == timedelta(days=30)
    assert domain.confirm_booking(booking.pk).status == Status.CONFIRMED  # twice is fine


def test_a_free_offering_is_confirmed_at_once(bookable: Bookable, mentee: User) -> None:
    booking = domain.book(bookable.half_hour, mentee, at(3, 10))
    assert booking.status == Status.CONFIRMED
    assert booking.engagement.status == Engagement.Status.ACTIVE


def test_a_taken_time_is_a_conflict_and_adjacent_times_fit(
    bookable: Bookable, mentee: User, stranger: User
) -> None:
    domain.book(bookable.hour, mentee, at(3, 10))
    with pytest.raises(Conflict, match="not free"):
        domain.book(bookable.hour, stranger, at(3, 10, 30))  # overlaps 10:00-11:00
    with pytest.raises(Conflict, match="not free"):
        domain.book(bookable.half_hour, stranger, at(3, 9, 45))  # 09:45-10:15
    # Half-open ranges: 09:00-10:00 and 11:00-11:30 touch 10:00-11:00 and both fit.
    assert domain.book(bookable.hour, stranger, at(3, 9)).status == Status.HELD
    assert domain.book(bookable.half_hour, stranger, at(3, 11)).status == Status.CONFIRMED
    assert Booking.objects.filter(status__in=Booking.ACTIVE).count() == 3


def test_buffers_keep_the_mentors_time_around_a_session(db: None, mentee: User) -> None:
    padded = make_bookable("pam.padded@example.com", buffers=15)
    other = make_user("oto.other@example.com")
    booking = domain.book(padded.hour, mentee, at(3, 10))
    assert (booking.blocked_from, booking.blocked_until) == (at(3, 9, 45), at(3, 11, 15))
    with pytest.raises(Conflict):
        domain.book(padded.half_hour, other, at(3, 11))  # its padding starts 10:45
    assert domain.book(padded.half_hour, other, at(3, 11, 30)).status == Status.CONFIRMED


def test_a_retry_with_the_same_key_returns_the_same_booking(
    bookable: Bookable, mentee: User
) -> None:
    first = domain.book(bookable.hour, mentee, at(3, 10), idempotency_key="k-1")
    again = domain.book(bookable.hour, mentee, at(3, 10), idempotency_key="k-1")
    assert again.pk == first.pk
    assert (Booking.objects.count(), Engagement.objects.count()) == (1, 1)


def test_a_mentee_cannot_be_in_two_sessions_at_once(bookable: Bookable, mentee: User) -> None:
    other = make_bookable("ola.other@example.com")
    domain.book(bookable.hour, mentee, at(3, 10))
    with pytest.raises(Conflict, match="already have a mentoring session"):
        domain.book(other.half_hour, mentee, at(3, 10, 30))


def test_expired_holds_are_released_and_a_late_payment_confirms_only_a_free_time(
    bookable: Bookable, mentee: User, stranger: User
) -> None:
    # The times are fixed before the clock moves: near midnight, "in four days" would move too.
    ten, next_ten, next_quarter_past = at(3, 10), at(4, 10), at(4, 10, 15)
    held = domain.book(bookable.hour, mentee, ten)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert domain.release_expired_holds() == 1
        held.refresh_from_db()
        assert held.status == Status.EXPIRED
        assert held.engagement.status == Engagement.Status.CANCELLED
        # The payment arrives late, but the time is still free: confirmed after all.
        assert domain.confirm_booking(held.pk).status == Status.CONFIRMED
        held.engagement.refresh_from_db()
        assert held.engagement.status == Engagement.Status.ACTIVE

        other = domain.book(bookable.hour, stranger, next_ten)
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        # The stranger's hold ran out and the mentee took the time meanwhile.
        domain.book(bookable.half_hour, mentee, next_quarter_past)
        with pytest.raises(Conflict):
            domain.confirm_booking(other.pk)
        other.refresh_from_db()
        assert other.status == Status.EXPIRED


def test_a_package_is_booked_session_by_session_from_its_credits(
    bookable: Bookable, mentee: User
) -> None:
    first = domain.book(bookable.package, mentee, at(3, 10))
    engagement = domain.confirm_booking(first.pk).engagement
    assert domain.credits_left(engagement) == 2
    second = domain.book_from_engagement(engagement, at(10, 10))
    assert second.status == Status.CONFIRMED
    domain.book_from_engagement(engagement, at(17, 10))
    assert domain.credits_left(engagement) == 0
    with pytest.raises(ValidationError, match="no sessions left"):
        domain.book_from_engagement(engagement, at(20, 10))
    # A free cancellation gives the credit back; a session past the expiry is refused.
    domain.cancel_booking(second, by=mentee, reason="A conflict at work.")
    assert domain.credits_left(engagement) == 1
    with pytest.raises(ValidationError, match="must take place by"):
        domain.book_from_engagement(engagement, at(40, 10))


@pytest.mark.usefixtures("nine_in_the_morning")
def test_a_mentee_cancels_free_until_the_deadline_and_forfeits_after_it(
    bookable: Bookable, mentee: User
) -> None:
    early = domain.book(bookable.half_hour, mentee, at(3, 10))
    late = domain.book(bookable.half_hour, mentee, at(0, 14))  # five hours from now
    with pytest.raises(ValidationError, match="Say why"):
        domain.cancel_booking(early, by=mentee, reason="  ")
    early = domain.cancel_booking(early, by=mentee, reason="Plans changed.")
    assert (early.status, early.forfeited, early.sequence) == (Status.CANCELLED, False, 1)
    late = domain.cancel_booking(late, by=mentee, reason="I overslept my planning.")
    assert late.forfeited is True
    change = BookingChange.objects.get(booking=late)
    assert (change.kind, change.by, change.late, change.reason) == (
        "cancelled",
        mentee,
        True,
        "I overslept my planning.",
    )
    with pytest.raises(ValidationError, match="cancelled already"):
        domain.cancel_booking(late, by=mentee, reason="Again.")


def test_an_engagement_keeps_the_terms_it_was_bought_on(
    bookable: Bookable, mentee: User, settings: Any
) -> None:
    settings.PLATFORM_FEE_BASIS_POINTS = 1250
    settings.BOOKING_FREE_CHANGE_HOURS = 48
    booking = domain.book(bookable.package, mentee, at(5, 10))
    engagement = booking.engagement
    assert (engagement.price, engagement.currency) == (24000, bookable.package.currency)
    assert (engagement.platform_fee_rate, engagement.free_change_hours) == (1250, 48)
    kinds = sorted(engagement.policy_versions.values_list("policy__kind", flat=True))
    assert kinds == ["conduct", "privacy", "terms"]
    # Later changes to the rules do not reach a purchase already made.
    settings.BOOKING_FREE_CHANGE_HOURS = 2
    assert domain.free_change_deadline(booking) == booking.starts_at - timedelta(hours=48)


@pytest.mark.usefixtures("nine_in_the_morning")
def test_a_mentor_may_cancel_any_time_and_a_late_cancellation_counts(
    bookable: Bookable, mentee: User, stranger: User
) -> None:
    booking = domain.book(bookable.half_hour, mentee, at(0, 14))
    with pytest.raises(ValidationError, match="Only the mentor and the mentee"):
        domain.cancel_booking(booking, by=stranger, reason="No.")
    booking = domain.cancel_booking(booking, by=bookable.mentor, reason="I am ill.")
    assert (booking.forfeited, booking.late_mentor_cancellation) == (False, True)


def test_moving_a_session_moves_the_booking_or_changes_nothing(
    bookable: Bookable, mentee: User, stranger: User
) -> None:
    booking = domain.book(bookable.half_hour, mentee, at(3, 10))
    domain.book(bookable.half_hour, stranger, at(3, 14))
    with pytest.raises(Conflict):
        domain.reschedule_booking(booking, at(3, 14), by=mentee, reason="Later suits me.")
    booking.refresh_from_db()
    assert (booking.starts_at, booking.sequence) == (at(3, 10), 0)

    moved = domain.reschedule_booking(booking, at(3, 10, 15), by=mentee, reason="A bit later.")
    assert (moved.pk, moved.uid, moved.sequence) == (booking.pk, booking.uid, 1)
    assert (moved.starts_at, moved.ends_at) == (at(3, 10, 15), at(3, 10, 45))
    change = BookingChange.objects.get(booking=moved)
    assert (change.old_starts_at, change.new_starts_at) == (at(3, 10), at(3, 10, 15))
    with pytest.raises(ValidationError, match="offset from UTC"):
        domain.reschedule_booking(moved, datetime(2030, 1, 1, 10), by=mentee, reason="Naive.")


@pytest.mark.usefixtures("nine_in_the_morning")
def test_a_mentee_cannot_move_a_session_after_the_deadline(
    bookable: Bookable, mentee: User
) -> None:
    booking = domain.book(bookable.half_hour, mentee, at(0, 14))
    with pytest.raises(ValidationError, match="can no longer be moved"):
        domain.reschedule_booking(booking, at(3, 10), by=mentee, reason="Tomorrow instead.")
    moved = domain.reschedule_booking(booking, at(3, 10), by=bookable.mentor, reason="Sorry.")
    assert moved.starts_at == at(3, 10)


def test_nobody_books_an_unlisted_mentor_themselves_or_an_old_offering(
    bookable: Bookable, mentee: User, staff: User
) -> None:
    with pytest.raises(ValidationError, match="cannot book yourself"):
        domain.book(bookable.hour, bookable.mentor, at(3, 10))
    from mentor247.mentors import domain as mentors_domain

    mentors_domain.retire_offering(bookable.package)
    with pytest.raises(ValidationError, match="has changed"):
        domain.book(bookable.package, mentee, at(3, 10))
    mentors_domain.decide(bookable.profile, "suspend", note="Checks.", by=staff)
    with pytest.raises(ValidationError, match="cannot be booked"):
        domain.book(bookable.hour, mentee, at(3, 10))
    assert not Booking.objects.exists()


def test_a_time_outside_the_hours_or_without_offset_is_refused(
    bookable: Bookable, mentee: User
) -> None:
    with pytest.raises(Conflict, match="not free"):
        domain.book(bookable.hour, mentee, at(3, 22))  # after 20:00 London
    with pytest.raises(Conflict, match="begin every 15 minutes") as off_grid:
        domain.book(bookable.hour, mentee, at(3, 10, 5))  # off the 15-minute grid
    assert off_grid.value.code == "off_grid"
    with pytest.raises(ValidationError, match="offset from UTC"):
        domain.book(bookable.hour, mentee, datetime(2030, 1, 1, 10))


class Deadlock(Exception):
    sqlstate = "40P01"


def deadlock() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = Deadlock()
    return error


def test_a_deadlock_is_retried_then_answered_as_busy(
    bookable: Bookable, mentee: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = domain._check_free
    failures = iter([deadlock()])

    def once_deadlocked(*args: Any, **kwargs: Any) -> Any:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real(*args, **kwargs)

    monkeypatch.setattr(domain, "_check_free", once_deadlocked)
    assert domain.book(bookable.hour, mentee, at(3, 10)).status == Status.HELD

    def always_deadlocked(*args: Any, **kwargs: Any) -> Any:
        raise deadlock()

    monkeypatch.setattr(domain, "_check_free", always_deadlocked)
    # Still deadlocked after every retry: "busy, try again", which is not "taken" (a paid
    # booking is never refunded for it).
    with pytest.raises(domain.Busy, match="try again") as busy:
        domain.book(bookable.hour, mentee, at(4, 10))
    assert not isinstance(busy.value, Conflict)
    assert Booking.objects.count() == 1


def test_a_suspended_mentor_takes_no_more_sessions_of_a_package(
    bookable: Bookable, mentee: User, staff: User
) -> None:
    from mentor247.mentors import domain as mentors_domain

    first = domain.confirm_booking(domain.book(bookable.package, mentee, at(3, 10)).pk)
    mentors_domain.decide(bookable.profile, "suspend", note="Checks.", by=staff)
    with pytest.raises(ValidationError, match="cannot be booked"):
        domain.book_from_engagement(first.engagement, at(5, 10))
    with pytest.raises(ValidationError, match="cannot be booked"):
        domain.reschedule_booking(first, at(4, 10), by=mentee, reason="Another day.")
    # Cancelling stays possible.
    assert domain.cancel_booking(first, by=mentee, reason="Never mind.").status == "cancelled"


def test_sessions_are_booked_within_the_offerings_days(bookable: Bookable, mentee: User) -> None:
    # The package's sessions take place within 30 days of buying it: the first too.
    with pytest.raises(ValidationError, match="within 30 days"):
        domain.book(bookable.package, mentee, at(40, 10))
    assert domain.book(bookable.package, mentee, at(29, 10)).status == Status.HELD


def test_one_person_is_in_one_session_at_a_time_in_either_role(
    bookable: Bookable, mentee: User
) -> None:
    other = make_bookable("ola.other@example.com")
    # The mentor has a session at 10:00; they cannot be someone's mentee then too.
    domain.book(bookable.half_hour, mentee, at(3, 10))
    with pytest.raises(Conflict, match="already have a mentoring session"):
        domain.book(other.half_hour, bookable.mentor, at(3, 10))
    # And a mentor who is someone's mentee at 12:00 cannot be booked then.
    domain.book(other.half_hour, bookable.mentor, at(3, 12))
    with pytest.raises(Conflict, match="not free"):
        domain.book(bookable.half_hour, make_user("nia.new@example.com"), at(3, 12))
