"""Bookings as iCalendar (RFC 5545): invitations for email, and each person's private feed.

An invitation is a calendar with METHOD:REQUEST for a confirmed or moved session and
METHOD:CANCEL (STATUS:CANCELLED) for a cancelled one; the event keeps the booking's UID for
its whole life and carries its SEQUENCE, which every change raises, so calendar programs
update the one event rather than adding another. Times are written in UTC.

No one's email address is written: the platform's own address organizes every session, and
each participant is an attendee by name, with an address of its own that says nothing about
the person (the same for the booking's whole life, so calendar programs match it).
"""

import uuid
from collections.abc import Iterable
from datetime import UTC
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from mentor247.bookings.models import Booking
from mentor247.lib.text import one_line

PRODID = "-//mentor247//bookings//EN"
DOMAIN = "mentor247"


def _calendar(method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def _address(uri: str, name: str, role: str | None = None) -> vCalAddress:
    address = vCalAddress(uri)
    address.params["cn"] = vText(one_line(name))
    if role:
        address.params["role"] = vText(role)
    return address


def _attendee(booking: Booking, role: str, name: str) -> vCalAddress:
    """A participant of `booking` by name, at an address derived from the booking's UID and
    the participant's role alone."""
    uri = f"urn:uuid:{uuid.uuid5(booking.uid, role)}"
    address = _address(uri, name, "REQ-PARTICIPANT")
    address.params["cutype"] = vText("INDIVIDUAL")
    return address


def event(booking: Booking, *, link: str) -> Event:
    """The booking as one event, with the link to its page (where its video room opens)."""
    offering = booking.engagement.offering
    mentor_user, mentee = booking.mentor.user, booking.mentee
    item = Event()
    item.add("uid", f"{booking.uid}@{DOMAIN}")
    item.add("sequence", booking.sequence)
    item.add("dtstamp", timezone.now().astimezone(UTC))
    item.add("dtstart", booking.starts_at.astimezone(UTC))
    item.add("dtend", booking.ends_at.astimezone(UTC))
    item.add(
        "summary",
        _("Mentoring: %(title)s, %(mentor)s with %(mentee)s")
        % {
            "title": one_line(offering.title),
            "mentor": one_line(mentor_user.name),
            "mentee": one_line(mentee.name),
        },
    )
    item.add(
        "description",
        _("Join on %(site)s: %(link)s") % {"site": settings.SITE_NAME, "link": link},
    )
    item.add("url", link)
    item.add("location", link)
    organizer = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    item.add("organizer", _address(f"mailto:{organizer}", settings.SITE_NAME))
    item.add("attendee", _attendee(booking, "mentor", mentor_user.name))
    item.add("attendee", _attendee(booking, "mentee", mentee.name))
    cancelled = booking.status == Booking.Status.CANCELLED
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def invitation(booking: Booking, *, link: str) -> bytes:
    """What an email carries: a request for a confirmed or moved session, a cancellation for
    a cancelled one."""
    cancelled = booking.status == Booking.Status.CANCELLED
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    calendar.add_component(event(booking, link=link))
    return calendar.to_ical()


def feed(bookings: Iterable[Booking], *, links: dict[int, str], name: str) -> bytes:
    """A person's calendar feed of `bookings` (no METHOD: it is published, not sent)."""
    calendar = _calendar()
    calendar.add("x-wr-calname", name)
    for booking in bookings:
        calendar.add_component(event(booking, link=links[booking.pk]))
    return calendar.to_ical()
