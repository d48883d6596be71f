"""A mentor sets their week in a real browser and sees it as a mentee in another zone would."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.conftest import Visitor
from mentor247.scheduling.models import Availability


def test_a_mentor_sets_their_week_and_previews_it_from_kathmandu(
    visitor: Visitor, mentor: User
) -> None:
    page = visitor.page
    visitor.log_in(mentor.email)
    visitor.goto("/mentor/")
    with page.expect_navigation():
        page.click("text=Your availability")
    visitor.check()
    assert page.get_by_text("No free times in the next two weeks.").is_visible()
    # Every day 09:00-12:00 in London, on the hour, with a day off four days from now.
    day_off = (timezone.now() + timedelta(days=4)).astimezone(ZoneInfo("Europe/London")).date()
    for number in range(7):
        page.fill(f"input[name=day_{number}]", "09:00-12:00")
    page.fill("input[name=day_2]", "9-12")
    page.select_option("select[name=slot_grid]", "60")
    page.fill("textarea[name=overrides]", f"{day_off.isoformat()}: off")
    visitor.submit("form.availability-form button[type=submit]")
    assert page.get_by_text("Write hours like 09:00-12:00, 14:00-17:30.").is_visible()
    page.fill("input[name=day_2]", "09:00-12:00")
    visitor.submit(
        "form.availability-form button[type=submit]", expect_path="/mentor/availability/"
    )
    assert page.get_by_text("Your availability is saved.").is_visible()
    assert Availability.objects.get(profile=mentor.mentor_profile).weekly_hours[2] == [[540, 720]]

    page.select_option("select[name=zone]", "Asia/Kathmandu")
    visitor.submit(".preview-form button[type=submit]")
    assert page.get_by_text("Start times of a 60-minute session, in Asia/Kathmandu:").is_visible()
    # London 09:00-12:00 is 14:45-17:45 in Kathmandu in winter (+05:45), 13:45-16:45 in summer.
    times = page.locator(".times li").all_inner_texts()
    assert times and set(times) <= {"13:45", "14:45", "15:45", "16:45"}
    headings = page.locator(".preview-day").all_inner_texts()
    kathmandu_day_off = f"{day_off:%A} {day_off.day} {day_off:%B}"
    assert kathmandu_day_off not in headings
    assert len(headings) >= 12
    visitor.screenshot("mentor-availability-desktop")
