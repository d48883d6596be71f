"""A mentee in Kathmandu books a mentor in London in a real browser, moves the session, then
cancels it; each step reaches both by email with its calendar invitation."""

from typing import Any

import icalendar

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at
from mentor247.conftest import Outbox, Visitor


def invitation(message: Any) -> Any:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def test_a_mentee_books_moves_and_cancels_across_time_zones(
    visitor: Visitor, bookable: Bookable, mentee: User, smtp_outbox: Outbox
) -> None:
    mentee.time_zone = "Asia/Kathmandu"
    mentee.save(update_fields=["time_zone"])
    page = visitor.page
    visitor.log_in(mentee.email)
    visitor.goto(f"/mentors/{bookable.profile.pk}/")
    assert page.get_by_role("heading", name="Next free times").is_visible()
    with page.expect_navigation():
        page.click(f"a[href='/mentors/{bookable.profile.pk}/offerings/{bookable.half_hour.pk}/']")
    visitor.check()
    assert page.get_by_text("shown in your time zone (Asia/Kathmandu)").is_visible()
    # 10:00 UTC is 15:45 in Kathmandu (+05:45) and 10:00 in London in winter.
    start = at(3, 10)
    choice = page.locator(f"input[name=start][value='{start.isoformat()}']")
    assert choice.locator("xpath=..").inner_text().strip() == "15:45"
    choice.check()
    page.check("input[name=first_mentoring]")
    visitor.submit(".book-form button[type=submit]")
    booking = Booking.objects.get()
    assert visitor.path(page.url) == f"/bookings/{booking.pk}/"
    assert page.locator(".booking-status").inner_text() == "confirmed"
    assert "15:45 (Asia/Kathmandu)" in page.locator("main").inner_text()
    visitor.screenshot("booking-confirmed-desktop")
    booked = invitation(smtp_outbox.wait_for(mentee.email))
    assert booked["method"] == "REQUEST"
    assert booked.walk("VEVENT")[0]["dtstart"].dt == start

    smtp_outbox.messages.clear()
    with page.expect_navigation():
        page.click("text=Move to another time")
    visitor.check()
    later = at(3, 11)
    page.check(f"input[name=start][value='{later.isoformat()}']")
    page.fill("textarea[name=reason]", "An hour later suits me better.")
    visitor.submit(".move-form button[type=submit]", expect_path=f"/bookings/{booking.pk}/")
    assert "16:45 (Asia/Kathmandu)" in page.locator("main").inner_text()
    assert page.get_by_text("An hour later suits me better.").is_visible()
    moved = invitation(smtp_outbox.wait_for(bookable.mentor.email)).walk("VEVENT")[0]
    assert (moved["sequence"], moved["dtstart"].dt) == (1, later)

    smtp_outbox.messages.clear()
    with page.expect_navigation():
        page.click("text=Cancel the session")
    visitor.check()
    page.fill("textarea[name=reason]", "Something came up.")
    visitor.submit("main form button[type=submit]", expect_path=f"/bookings/{booking.pk}/")
    assert page.locator(".booking-status").inner_text() == "cancelled"
    cancelled = invitation(smtp_outbox.wait_for(bookable.mentor.email))
    assert cancelled["method"] == "CANCEL"
    visitor.goto("/bookings/")
    assert page.get_by_text("Nothing booked.").is_visible()
    visitor.screenshot("my-bookings-desktop")
