"""People and sessions for the benchmarks, made through the domain functions as real ones are:
accounts that accept the policies in effect, sessions booked with `bookings.domain.book` and
paid with the sandbox provider's test card."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.bookings.queries import open_times
from mentor247.mentors.models import MentorProfile, Offering
from mentor247.payments import domain as payments
from mentor247.payments import sandbox
from mentor247.payments.models import SandboxCharge
from mentor247.policies.domain import accept_versions
from mentor247.policies.queries import pending_versions
from mentor247.scheduling.domain import AvailabilityTerms, BookingSettings

# Open at every hour of every day, bookable at no notice: the benchmarks choose the times.
ALWAYS_OPEN = AvailabilityTerms(
    weekly_hours=[[(0, 24 * 60)]] * 7,
    settings=BookingSettings(minimum_notice=0, horizon_days=90, slot_grid=15),
)


def person(email: str, *, staff: bool = False) -> User:
    """The account of `email` (made without a usable password), with the policies in effect
    accepted."""
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


def session_key(user: User) -> str:
    """The key of a new login session of `user`, for a browser's or a socket's cookie."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def charge(booking: Booking, mentee: User) -> int:
    """Starts paying for the held `booking` and pays with the sandbox's test card: the
    payment's id, charged at the provider; the platform has not heard of it yet."""
    payment, started = payments.start_checkout(
        booking,
        mentee,
        idempotency_key=f"bench-{booking.pk}",
        return_url=lambda made: f"{settings.SITE_URL}/",
    )
    sandbox.pay_with_card(SandboxCharge.objects.get(reference=started.reference), sandbox.SUCCEEDS)
    return payment.pk


def confirmed(offering: Offering, mentee: User, starts_at: datetime) -> Booking:
    """A confirmed session of `offering` for `mentee` at `starts_at`: booked, and for a paid
    offering paid with the sandbox's test card and settled (its money waits in escrow)."""
    booking = bookings.book(offering, mentee, starts_at)
    if booking.status != Booking.Status.CONFIRMED:
        payments.settle_payment(charge(booking, mentee))
        booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED, booking.status
    return booking


def first_open_time(mentor: MentorProfile, minutes: int, *, after: datetime) -> datetime:
    """The mentor's first open start of `minutes` after `after` (within a day)."""
    found = open_times(mentor, minutes=minutes, start=after, end=after + timedelta(days=1))
    if not found:
        raise RuntimeError(f"{mentor} has no open time in the day after {after}")
    return found[0]


def end_active_sessions(mentor: MentorProfile) -> None:
    """Ends the sessions an earlier run left active with `mentor`, so that their times are
    free again: holds are let go, and confirmed sessions are closed as completed (the state
    the room's sweep gives a session that took place; a paid one is then settled as usual)."""
    for booking in Booking.objects.filter(mentor=mentor, status__in=Booking.ACTIVE):
        if booking.status == Booking.Status.CONFIRMED:
            bookings.close_booking(booking, Booking.Status.COMPLETED)
        else:
            bookings.release_hold(booking.pk)
