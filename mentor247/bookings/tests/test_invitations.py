"""What the booking emails and calendar files tell each side: names and links but nobody's email
address, headers that no name can break, and wall times that say which side of a clock change
they are on."""

import re
from datetime import UTC, datetime
from email.message import Message
from email.utils import parseaddr
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from mentor247.accounts.models import User
from mentor247.bookings import domain
from mentor247.bookings.tests.conftest import Bookable, at, terms
from mentor247.conftest import Outbox, logged_in, make_user, message_text
from mentor247.mentors import domain as mentors_domain
from mentor247.mentors.models import Offering
from mentor247.scheduling.domain import AvailabilityTerms, BookingSettings, replace_availability

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def ics_of(message: Message) -> bytes:
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload


def feed_of(user: User) -> bytes:
    address = logged_in(user).post(reverse("bookings:calendar"), {"action": "new"})
    response = Client().get(address.context["address"].removeprefix("http://testserver"))
    assert response.status_code == 200
    return response.content


def assert_valid_ics(raw: bytes) -> Any:
    """Parses `raw` as RFC 5545 text: CRLF lines of at most 75 octets, no control characters
    but in folding, and the properties every event needs."""
    assert raw.endswith(b"\r\n")
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", line), line
    calendar: Any = icalendar.Calendar.from_ical(raw)
    assert (str(calendar["version"]), bool(calendar["prodid"])) == ("2.0", True)
    for event in calendar.walk("VEVENT"):
        assert all(key in event for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"))
    return calendar


def test_no_email_address_appears_in_invitations_or_calendar_feeds(
    bookable: Bookable, mentee: User, smtp_outbox: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking = domain.book(bookable.half_hour, mentee, at(3, 10))
    mentor = bookable.mentor
    files = {
        "invitation to the mentee": ics_of(smtp_outbox.wait_for(mentee.email)),
        "invitation to the mentor": ics_of(smtp_outbox.wait_for(mentor.email)),
        "feed of the mentee": feed_of(mentee),
        "feed of the mentor": feed_of(mentor),
    }
    for name, raw in files.items():
        calendar = assert_valid_ics(raw)
        unfolded = raw.replace(b"\r\n ", b"").decode().lower()
        for person in (mentee, mentor):
            assert person.email.lower() not in unfolded, name
        # The only address is the platform's own, as the organizer of every session.
        assert re.findall(r"mailto:[^\r\n]*", unfolded) == [
            f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()}"
        ], name
        [event] = calendar.walk("VEVENT")
        # Still useful: who meets whom about what, and where.
        assert str(event["summary"]) == "Mentoring: A first talk, Max.Mentor with Mia Mentee"
        attendees = sorted(
            (str(attendee.params["CN"]), str(attendee.params["ROLE"]))
            for attendee in event["attendee"]
        )
        assert attendees == [("Max.Mentor", "REQ-PARTICIPANT"), ("Mia Mentee", "REQ-PARTICIPANT")]
        assert str(event["url"]).endswith(f"/bookings/{booking.pk}/"), name
    # Each attendee keeps one address over the session's life, for calendar programs to match.
    smtp_outbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        domain.reschedule_booking(booking, at(3, 11), by=mentee, reason="Later.")
    moved = assert_valid_ics(ics_of(smtp_outbox.wait_for(mentor.email)))
    first: Any = icalendar.Calendar.from_ical(files["invitation to the mentee"])
    assert [str(a) for a in moved.walk("VEVENT")[0]["attendee"]] == [
        str(a) for a in first.walk("VEVENT")[0]["attendee"]
    ]
    assert mentee.email not in ics_of(smtp_outbox.wait_for(mentor.email)).decode()


def test_names_with_quotes_or_line_breaks_reach_both_sides_in_one_line_subjects(
    db: None, smtp_outbox: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    # Names written before names were checked, or by staff in the admin.
    lena = make_user("lena.mentor@example.com", name='Lena"', mentor=True)
    offering = _open_all_day(lena, "UTC")
    mentee = make_user("tom.mentee@example.com", name="Tom\r\nBcc: eve@example.com\x85<b>")
    with django_capture_on_commit_callbacks(execute=True):
        booking = domain.book(offering, mentee, at(3, 10))
    to_mentee = smtp_outbox.wait_for(mentee.email)
    to_mentor = smtp_outbox.wait_for(lena.email)
    assert to_mentee["Subject"] == 'Mentoring with Lena" is booked'
    assert str(to_mentor["Subject"]) == "Mentoring with Tom Bcc: eve@example.com <b> is booked"
    assert [(m["To"], m["Bcc"], m["Cc"]) for m in smtp_outbox.messages] == [
        (mentee.email, None, None),
        (lena.email, None, None),
    ]
    assert 'with Lena" is booked.' in message_text(to_mentee)
    event = assert_valid_ics(ics_of(to_mentor)).walk("VEVENT")[0]
    assert str(event["summary"]) == ('Mentoring: An hour, Lena" with Tom Bcc: eve@example.com <b>')

    # Moving and cancelling reach both sides too.
    for change in ("moved", "cancelled"):
        smtp_outbox.messages.clear()
        with django_capture_on_commit_callbacks(execute=True):
            if change == "moved":
                domain.reschedule_booking(booking, at(3, 11), by=mentee, reason="Line\r\nbreak")
            else:
                domain.cancel_booking(booking, by=lena, reason="Ill.")
        assert change in smtp_outbox.wait_for(lena.email)["Subject"]
        assert change in smtp_outbox.wait_for(mentee.email)["Subject"]


def _open_all_day(mentor: User, zone: str) -> Offering:
    """Makes `mentor` bookable around the clock in `zone`, with a one-hour and a half-hour
    offering; returns the hour."""
    profile = mentor.mentor_profile
    profile.time_zone = zone
    profile.save(update_fields=["time_zone"])
    replace_availability(
        profile,
        AvailabilityTerms(
            weekly_hours=[[(0, 24 * 60)]] * 7,
            settings=BookingSettings(minimum_notice=0, horizon_days=365, slot_grid=30),
        ),
    )
    mentors_domain.add_offering(profile, terms("Half an hour", count=1, minutes=30, price=0))
    return mentors_domain.add_offering(profile, terms("An hour", count=1, minutes=60, price=0))


def test_the_hour_that_comes_twice_is_told_apart_in_times_pages_and_emails(
    db: None, smtp_outbox: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    mentor = make_user("nia.mentor@example.com", name="Nia Mentor", mentor=True)
    mentee = make_user("ned.mentee@example.com", name="Ned Mentee")
    for person in (mentor, mentee):
        person.time_zone = "America/New_York"
        person.save(update_fields=["time_zone"])
    # On 7 November 2027, New York's clocks go back from 02:00 EDT (05:00 UTC) to 01:00 EST.
    with time_machine.travel(datetime(2027, 11, 4, 12, 0, tzinfo=UTC), tick=True):
        hour = _open_all_day(mentor, "America/New_York")
        half_hour = Offering.objects.get(profile=mentor.mentor_profile, session_minutes=30)

        # The picker lists 01:00 and 01:30 twice, each with its side, and other times plain.
        url = reverse("mentors:offering", args=[mentor.mentor_profile.pk, half_hour.pk])
        page = logged_in(mentee).get(url).content.decode()
        labels = re.findall(
            r'value="2027-11-07T0([4-7]:[03]0):00\+00:00" required> ([^<]*)</label>', page
        )
        assert labels == [
            ("4:00", "00:00"),
            ("4:30", "00:30"),
            ("5:00", "01:00 EDT"),
            ("5:30", "01:30 EDT"),
            ("6:00", "01:00 EST"),
            ("6:30", "01:30 EST"),
            ("7:00", "02:00"),
            ("7:30", "02:30"),
        ]

        # An hour from 01:30 EDT ends at 01:30 EST: the emails and the page say so.
        with django_capture_on_commit_callbacks(execute=True):
            booking = domain.book(hour, mentee, datetime(2027, 11, 7, 5, 30, tzinfo=UTC))
        assert booking.ends_at == datetime(2027, 11, 7, 6, 30, tzinfo=UTC)
        when = "Sun 7 Nov 2027, 01:30 EDT (America/New_York)"
        for person in (mentee, mentor):
            text = message_text(smtp_outbox.wait_for(person.email))
            assert f"When: {when} \u2013 01:30 EST" in text.splitlines()
        page = (
            logged_in(mentee).get(reverse("bookings:booking", args=[booking.pk])).content.decode()
        )
        assert f">{when}</time></strong> \u2013 01:30 EST" in page
