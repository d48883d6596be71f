"""A mentor describes a package in a real browser and mentees read it on the mentor's page."""

from mentor247.accounts.models import User
from mentor247.conftest import Visitor
from mentor247.mentors.models import Offering


def test_a_mentor_adds_a_package_and_changes_it(visitor: Visitor, mentor: User) -> None:
    page = visitor.page
    visitor.log_in(mentor.email)
    visitor.goto("/mentor/")
    with page.expect_navigation():
        page.click("text=Your offerings")
    visitor.check()
    with page.expect_navigation():
        page.click("text=Add an offering")
    visitor.check()
    page.fill("input[name=title]", "Three sessions to your first product role")
    page.fill("textarea[name=description]", "For people moving into product management.")
    page.fill("input[name=session_count]", "3")
    page.select_option("select[name=session_minutes]", "60")
    page.fill("input[name=price]", "150")
    page.fill("textarea[name=plan]", "Your story so far\nA product case, together")
    page.fill("textarea[name=expected_results]", "A clear story and one practised case.")
    page.fill("textarea[name=not_included]", "A job offer.")
    # Two topics for three sessions: the page says what is missing and keeps the input.
    visitor.submit("main form button[type=submit]")
    assert page.get_by_text("Give a topic for each of the 3 sessions, one per line.").is_visible()
    assert page.input_value("input[name=title]") == "Three sessions to your first product role"
    page.fill("textarea[name=plan]", "Your story so far\nA product case, together\nMock interview")
    visitor.submit("main form button[type=submit]", expect_path="/mentor/offerings/")
    added = Offering.objects.get(title="Three sessions to your first product role")
    assert (added.price, added.currency, added.session_count) == (15000, "EUR", 3)

    with page.expect_navigation():
        page.click(f"a[href='/mentor/offerings/{added.pk}/']")
    visitor.check()
    assert page.get_by_text("Mentees who already bought this offering keep").is_visible()
    page.fill("input[name=price]", "180")
    visitor.submit("main form button[type=submit]", expect_path="/mentor/offerings/")
    added.refresh_from_db()
    assert (added.price, added.retired_at is not None) == (15000, True)
    visitor.screenshot("mentor-offerings-desktop")

    visitor.goto(f"/mentors/{mentor.mentor_profile.pk}/")
    assert page.get_by_text("€180.00").is_visible()
    assert page.get_by_text("Mock interview").is_visible()
    assert page.get_by_text("€150.00").count() == 0
    visitor.screenshot("mentor-page-with-package-desktop")
