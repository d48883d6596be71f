"""Applying, approval and finding a mentor, in a real browser, on a desktop and a phone."""

import io
import re

from PIL import Image
from playwright.sync_api import expect

from mentor247.accounts.models import User
from mentor247.conftest import Visitor, make_profile, make_user
from mentor247.lib.languages import Proficiency
from mentor247.mentors.models import MentorProfile


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (500, 500), (200, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def log_out(visitor: Visitor) -> None:
    with visitor.page.expect_navigation():
        visitor.page.click("header button:has-text('Log out')")
    visitor.check()


def test_apply_approve_and_be_found(
    visitor: Visitor, phone_visitor: Visitor, mentee: User, staff: User
) -> None:
    make_profile(
        make_user("lucia@example.com", name="Lucía Marketing"),
        headline="Growth marketing for small teams",
        expertise=("Marketing",),
        languages=(("es", Proficiency.NATIVE), ("en", Proficiency.FLUENT)),
        time_zone="America/Mexico_City",
        currency="MXN",
        prices=(90000,),
    )
    make_profile(
        make_user("jean@example.com", name="Jean Design"),
        headline="Product design portfolios",
        expertise=("Design",),
        languages=(("fr", Proficiency.NATIVE),),
        time_zone="Europe/Paris",
    )
    applicant = make_user("ana.applicant@example.com", name="Ana Applicant")
    page = visitor.page

    # The applicant applies, with a photo, agreeing to the Code of Conduct.
    visitor.log_in(applicant.email)
    visitor.goto("/mentors/apply/")
    page.fill("input[name=headline]", "Data engineering careers and pipelines")
    page.fill("textarea[name=bio]", "I build data platforms and mentor data engineers.")
    page.fill("input[name=expertise]", "Data engineering, Python")
    page.fill("input[name=years_of_experience]", "9")
    page.select_option("select[name=language_1]", "es")
    page.select_option("select[name=level_1]", str(Proficiency.FLUENT))
    page.select_option("select[name=language_2]", "en")
    page.select_option("select[name=level_2]", str(Proficiency.NATIVE))
    page.select_option("select[name=country]", "ES")
    page.select_option("select[name=time_zone]", "Europe/Madrid")
    page.select_option("select[name=currency]", "EUR")
    page.set_input_files(
        "input[name=photo]", files=[{"name": "me.png", "mimeType": "image/png", "buffer": photo()}]
    )
    page.check("input[name=accept_conduct]")
    visitor.submit("main form button[type=submit]", expect_path="/mentors/apply/")
    assert page.get_by_text("Your application is with our staff").is_visible()
    visitor.screenshot("mentor-application-sent-desktop")
    log_out(visitor)

    # Staff approve it.
    visitor.log_in(staff.email)
    visitor.goto("/staff/mentors/")
    with page.expect_navigation():
        page.click("text=Ana Applicant")
    visitor.check()
    visitor.screenshot("staff-mentor-application-desktop")
    page.check("input[name=decision][value=approve]")
    visitor.submit("main form button[type=submit]")
    assert page.get_by_text("Saved. The mentor is told by email.").is_visible()
    assert MentorProfile.objects.get(user=applicant).status == MentorProfile.Status.APPROVED
    log_out(visitor)

    # A mentee finds her by language and expertise, without reloading the page.
    visitor.log_in(mentee.email)
    visitor.goto("/mentors/")
    cards = page.locator("#results .mentor-card")
    expect(cards).to_have_count(3)
    page.select_option("select[name=language]", "es")
    page.select_option("select[name=level]", str(Proficiency.FLUENT))
    expect(cards).to_have_count(2)
    page.select_option("select[name=expertise]", "data-engineering")
    expect(cards).to_have_count(1)
    expect(page).to_have_url(
        re.compile(r"/mentors/\?expertise=data-engineering&language=es&level=3")
    )
    assert visitor.loaded.count("/mentors/") == 1  # htmx swapped the results in place
    visitor.check()
    visitor.screenshot("mentor-directory-desktop")
    with page.expect_navigation():
        cards.first.locator("h3 a").click()
    visitor.check()
    assert page.get_by_role("heading", name="Ana Applicant").is_visible()
    assert page.get_by_text("No reviews yet.").is_visible()
    expect(page.locator("img.avatar-large")).to_have_js_property("naturalWidth", 480)
    visitor.screenshot("mentor-page-desktop")

    # The same directory, shared by its URL, on a phone.
    phone_visitor.goto("/mentors/?language=es&level=3&expertise=data-engineering")
    expect(phone_visitor.page.locator("#results .mentor-card")).to_have_count(1)
    phone_visitor.screenshot("mentor-directory-phone")
    width = phone_visitor.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    with phone_visitor.page.expect_navigation():
        phone_visitor.page.locator("#results .mentor-card h3 a").click()
    phone_visitor.check()
    phone_visitor.screenshot("mentor-page-phone")
