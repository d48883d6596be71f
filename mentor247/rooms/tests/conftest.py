"""A session happening now, for the room's tests: booked and confirmed through the domain at a
later time, then placed around the present (the browser's clock cannot be moved)."""

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at
from mentor247.mentors.models import Offering


def session_now(
    offering: Offering,
    mentee: User,
    *,
    starts_in: timedelta = timedelta(minutes=2),
    first_mentoring: bool = False,
) -> Booking:
    booking = bookings.book(offering, mentee, at(5, 10), first_mentoring=first_mentoring)
    if booking.status != Booking.Status.CONFIRMED:
        booking = bookings.confirm_booking(booking.pk)
    place(booking, timezone.now() + starts_in)
    return booking


def place(booking: Booking, starts_at: datetime) -> None:
    """Moves `booking` to `starts_at` in the database alone (tests' set-up, not a move)."""
    length = booking.ends_at - booking.starts_at
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=starts_at,
        ends_at=starts_at + length,
        blocked_from=starts_at,
        blocked_until=starts_at + length,
    )
    booking.refresh_from_db()


def wait_until(condition: Callable[[], object], timeout: float = 10) -> None:
    """Waits for `condition()` to hold (what a server thread or a browser does meanwhile)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.05)


__all__ = ["Bookable", "place", "session_now", "wait_until"]
