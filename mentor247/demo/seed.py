"""The demo data: one staff member, two mentees, three named mentors and a directory of
generated mentors (demo/mentors.py), all written through the domain functions. Safe to run
again: what exists is left as it is."""

from collections.abc import Callable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.bookings.domain import book
from mentor247.bookings.models import Booking
from mentor247.bookings.queries import open_times, upcoming
from mentor247.demo.data import NAMED_MENTORS
from mentor247.demo.mentors import create_demo_directory, demo_mentors
from mentor247.payments import sandbox
from mentor247.payments.domain import settle_payment, start_checkout
from mentor247.payments.models import SandboxCharge
from mentor247.policies.domain import accept_versions
from mentor247.policies.queries import pending_versions
from mentor247.rooms.domain import room_for

DEMO_PASSWORD = "mentor247-demo"  # noqa: S105 - published in the README for the demo only
DEMO_PEOPLE = [
    # email, name, time zone, language, mentor, staff
    ("staff@mentor247.test", "Sam Staff", "Europe/London", "en", False, True),
    ("amara@mentor247.test", "Amara Okafor", "Africa/Lagos", "en", True, False),
    ("diego@mentor247.test", "Diego Fernández", "Europe/Madrid", "es", True, False),
    ("priya@mentor247.test", "Priya Raman", "Asia/Kolkata", "en", True, False),
    ("lena@mentor247.test", "Lena Fischer", "Europe/Berlin", "en", False, False),
    ("tom@mentor247.test", "Tom Becker", "America/New_York", "en", False, False),
]
STAFF_EMAIL = "staff@mentor247.test"
# Mentors beyond the named three, enough for the directory's filters and pages to show.
GENERATED_MENTORS = 36


def seed(write: Callable[[str], object]) -> None:
    """Creates (or completes) the demo accounts, directory and session; `write` is given the
    logins and where the session's room is, line by line."""
    # One hash for every demo account, instead of one per account at Argon2's cost.
    password_hash = make_password(DEMO_PASSWORD)
    generated = list(demo_mentors(GENERATED_MENTORS))
    with transaction.atomic():
        for email, name, zone, language, _mentor, staff in DEMO_PEOPLE:
            user, _created = User.objects.get_or_create(
                email=email,
                defaults={
                    "name": name,
                    "time_zone": zone,
                    "language": language,
                    "is_staff": staff,
                    "is_superuser": staff,
                    "password": password_hash,
                },
            )
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if pending := pending_versions(user):
                accept_versions(user, pending, ip_address=None, user_agent="seed_demo")
        create_demo_directory(
            [*NAMED_MENTORS, *generated],
            staff=User.objects.get(email=STAFF_EMAIL),
            password_hash=password_hash,
        )
    write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for email, name, _zone, _language, mentor, staff in DEMO_PEOPLE:
        role = "staff" if staff else "mentor" if mentor else "mentee"
        write(f"  {role:<7} {email:<24} {name}")
    write(f"  and {len(generated)} more mentors, {generated[0].email} to {generated[-1].email}")
    session = demo_session()
    if session is not None:
        write(
            f"Lena's next session with Amara: {session.starts_at:%Y-%m-%d %H:%M} UTC, "
            f"in the room at {reverse('rooms:room', args=[room_for(session).key])}"
        )


def demo_session() -> Booking | None:
    """An upcoming confirmed session of the demo mentee Lena with Amara, at Amara's next free
    time (booked and paid through the domain, with the sandbox's test card), so the booking
    pages and the room have something to show. Kept if one is already coming."""
    lena = User.objects.get(email="lena@mentor247.test")
    amara = User.objects.get(email="amara@mentor247.test").mentor_profile
    coming = upcoming(lena)
    if coming:
        return coming[0]
    # A paid single session, so the demo has money in escrow; the shortest offering else.
    offerings = amara.offerings.current().order_by("session_minutes", "pk")
    offering = offerings.filter(price__gt=0, session_count=1).first() or offerings.first()
    if offering is None:
        return None
    now = timezone.now()
    times = open_times(
        amara, minutes=offering.session_minutes, start=now, end=now + timedelta(days=14)
    )
    if not times:
        return None
    booking = book(offering, lena, times[0], first_mentoring=True)
    if booking.status != Booking.Status.CONFIRMED:
        # Paid the way Lena would pay: the sandbox's test card, then the provider's word.
        payment, charge = start_checkout(
            booking,
            lena,
            idempotency_key="demo-session",
            return_url=lambda made: settings.SITE_URL + reverse("payments:payment", args=[made.pk]),
        )
        sandbox.pay_with_card(
            SandboxCharge.objects.get(reference=charge.reference), sandbox.SUCCEEDS
        )
        settle_payment(payment.pk)
        booking.refresh_from_db()
    return booking
