"""Emails about bookings, to both sides, each in their own language and time zone (with the
other side's clock too), with the calendar invitation attached."""

from django.conf import settings
from django.urls import reverse

from mentor247.accounts.models import User
from mentor247.bookings.calendar import invitation
from mentor247.bookings.models import Booking
from mentor247.lib.mail import queue_email, render_email

CONFIRMED, MOVED, CANCELLED = "confirmed", "moved", "cancelled"


def site_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def booking_link(booking: Booking) -> str:
    return site_link(reverse("bookings:booking", args=[booking.pk]))


def notify(booking: Booking, change: str, *, by: User | None = None, reason: str = "") -> None:
    """Emails the mentee and the mentor that `booking` was confirmed, moved or cancelled (by
    whom and why), once the transaction commits."""
    link = booking_link(booking)
    ics = invitation(booking, link=link)
    method = "CANCEL" if change == CANCELLED else "REQUEST"
    for person, role in ((booking.mentee, "mentee"), (booking.mentor.user, "mentor")):
        other = booking.mentor.user if role == "mentee" else booking.mentee
        context = {
            "booking": booking,
            "offering": booking.engagement.offering,
            "engagement": booking.engagement,
            "other": other,
            "role": role,
            "change": change,
            "by_other": by is not None and by.pk != person.pk,
            "reason": reason,
            "link": link,
        }
        message = render_email(person, "bookings/email/change", context)
        message.attach("mentoring.ics", ics, f"text/calendar; method={method}; charset=UTF-8")
        queue_email(message)
