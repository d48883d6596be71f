"""Booking pages, emails with calendar invitations, and the private calendar feed."""

from datetime import timedelta
from email.message import Message
from typing import Any

import icalendar
import pytest
import recurring_ical_events
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.bookings import domain
from mentor247.bookings.models import Booking, CalendarFeed
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.conftest import Outbox, logged_in, make_user, message_text

pytestmark = pytest.mark.django_db


def invitation_of(message: Message) -> Any:
    """The calendar attached to `message` (parsed values are read loosely: Any)."""
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    payload: Any = parts[0].get_payload(decode=True)
    return icalendar.Calendar.from_ical(payload)


def test_a_mentee_sees_open_times_in_their_zone_and_books_one(
    bookable: Bookable, mentee: User
) -> None:
    mentee.time_zone = "Asia/Kathmandu"
    mentee.save(update_fields=["time_zone"])
    client = logged_in(mentee)
    url = reverse("mentors:offering", args=[bookable.profile.pk, bookable.half_hour.pk])
    page = client.get(url).content.decode()
    assert "shown in your time zone (Asia/Kathmandu)" in page
    start = at(3, 10)  # 15:45 in Kathmandu
    assert f'value="{start.isoformat()}"' in page
    assert "15:45" in page
    response = client.post(url, {"start": start.isoformat(), "key": "abc", "first_mentoring": "on"})
    booking = Booking.objects.get()
    assert response["Location"] == reverse("bookings:booking", args=[booking.pk])
    assert (booking.status, booking.engagement.first_mentoring) == ("confirmed", True)
    # The same form sent again: the same booking.
    again = client.post(url, {"start": start.isoformat(), "key": "abc", "first_mentoring": "on"})
    assert again["Location"] == response["Location"]
    # That form's key with another choice: refused, saying what to do.
    changed = client.post(url, {"start": start.isoformat(), "key": "abc"})
    assert changed.status_code == 400
    assert "start again from a fresh page" in changed.content.decode()
    assert Booking.objects.count() == 1
    # Taken now: the time is no longer offered, and asking for it anyway is a 409.
    other = logged_in(make_user("oli.other@example.com"))
    assert f'value="{start.isoformat()}"' not in other.get(url).content.decode()
    refused = other.post(url, {"start": start.isoformat(), "key": "xyz"})
    assert refused.status_code == 409
    assert "not free" in refused.content.decode()
    assert other.post(url, {"start": "2030-01-01T10:00", "key": "n"}).status_code == 400


def test_booking_pages_are_for_the_two_participants_only(
    bookable: Bookable, mentee: User, stranger: User, staff: User
) -> None:
    booking = domain.book(bookable.package, mentee, at(3, 10))
    domain.confirm_booking(booking.pk)
    urls = [
        reverse("bookings:booking", args=[booking.pk]),
        reverse("bookings:cancel", args=[booking.pk]),
        reverse("bookings:move", args=[booking.pk]),
        reverse("bookings:engagement", args=[booking.engagement_id]),
    ]
    for user in (stranger, staff, make_bookable("ola.other@example.com").mentor):
        for url in urls:
            assert logged_in(user).get(url).status_code == 404, (user, url)
    for url in urls:
        assert Client().get(url)["Location"].startswith("/accounts/login/")
        assert logged_in(mentee).get(url).status_code == 200
        assert logged_in(bookable.mentor).get(url).status_code == 200


def test_emails_carry_invitations_that_follow_the_session(
    bookable: Bookable, mentee: User, smtp_outbox: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking = domain.book(bookable.half_hour, mentee, at(3, 10))
    to_mentee = smtp_outbox.wait_for(mentee.email)
    to_mentor = smtp_outbox.wait_for(bookable.mentor.email)
    assert "is booked" in to_mentee["Subject"]
    request = invitation_of(to_mentee)
    assert request["method"] == "REQUEST"
    event = request.walk("VEVENT")[0]
    uid = str(event["uid"])
    assert (event["sequence"], event["dtstart"].dt) == (0, at(3, 10))
    assert str(event["status"]) == "CONFIRMED"
    assert invitation_of(to_mentor).walk("VEVENT")[0]["uid"] == uid

    smtp_outbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        domain.reschedule_booking(booking, at(3, 11), by=mentee, reason="Later, please.")
    moved = smtp_outbox.wait_for(bookable.mentor.email)
    assert "Later, please." in message_text(moved)
    event = invitation_of(moved).walk("VEVENT")[0]
    assert (str(event["uid"]), event["sequence"], event["dtstart"].dt) == (uid, 1, at(3, 11))

    smtp_outbox.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        domain.cancel_booking(booking, by=bookable.mentor, reason="Ill, sorry.")
    cancelled = invitation_of(smtp_outbox.wait_for(mentee.email))
    assert cancelled["method"] == "CANCEL"
    event = cancelled.walk("VEVENT")[0]
    assert (str(event["uid"]), event["sequence"], str(event["status"])) == (uid, 2, "CANCELLED")


def test_the_calendar_feed_lists_upcoming_sessions_until_its_address_is_replaced(
    db: None, mentee: User
) -> None:
    # A title with a comma, a semicolon and non-ASCII text survives the round trip.
    mentor = make_bookable("zoe.mentor@example.com")
    mentor.half_hour.title = "Café, résumé; next steps"
    mentor.half_hour.save(update_fields=["title"])
    first = domain.book(mentor.half_hour, mentee, at(3, 10))
    domain.book(mentor.half_hour, mentee, at(5, 12))
    client = logged_in(mentee)
    response = client.post(reverse("bookings:calendar"), {"action": "new"})
    address = response.context["address"]
    feed_path = address.removeprefix("http://testserver")
    body = Client().get(feed_path)
    assert body["Content-Type"] == "text/calendar; charset=utf-8"
    calendar: Any = icalendar.Calendar.from_ical(body.content)
    events: list[Any] = recurring_ical_events.of(calendar).between(
        timezone.now(), timezone.now() + timedelta(days=30)
    )
    assert [event["dtstart"].dt for event in events] == [at(3, 10), at(5, 12)]
    assert "Café, résumé; next steps" in str(events[0]["summary"])
    assert f"/bookings/{first.pk}/" in str(events[0]["url"])

    # A new address revokes the old one; stopping revokes both.
    client.post(reverse("bookings:calendar"), {"action": "new"})
    assert Client().get(feed_path).status_code == 404
    client.post(reverse("bookings:calendar"), {"action": "stop"})
    assert not CalendarFeed.objects.filter(user=mentee).exists()


def test_the_mentor_page_shows_the_next_free_times_by_the_viewers_dates(
    bookable: Bookable, mentee: User
) -> None:
    mentee.time_zone = "Pacific/Auckland"  # +13:00 in its summer, +12:00 in its winter
    mentee.save(update_fields=["time_zone"])
    domain.book(bookable.half_hour, make_user("early.bird@example.com"), at(1, 8))
    page = logged_in(mentee).get(f"/mentors/{bookable.profile.pk}/").content.decode()
    assert "In your time zone (Pacific/Auckland)." in page
    times = page[page.index("Next free times") : page.index("Offerings")]
    # Eight times, of the mentor's one day (08:00-20:00 London) that spans two Auckland dates.
    assert times.count("<li><time") == 8
    assert times.count('class="preview-day"') in (1, 2)
