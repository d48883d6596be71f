"""A mentor meets a new Code of Conduct in the browser: declines, then accepts after all."""

from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.conftest import Visitor
from mentor247.policies.domain import publish_version
from mentor247.policies.models import Policy, PolicyKind, RemovalRequest


def test_a_mentor_declines_then_accepts_a_new_code_of_conduct(
    visitor: Visitor, mentor: User
) -> None:
    page = visitor.page
    visitor.log_in(mentor.email)
    visitor.goto("/")
    assert page.locator(".mentor-card", has_text="Max Mentor").count() == 1

    conduct = Policy.objects.get(kind=PolicyKind.CONDUCT)
    publish_version(
        conduct,
        text=conduct.versions.get().text + "\n## Notes\nWrite your notes on the platform only.\n",
        changes="Notes stay on the platform.",
        effective_at=timezone.now(),
        published_by=None,
    )
    # Every mentor page now leads to the review page, which shows what changed.
    visitor.goto("/mentor/")
    assert Visitor.path(page.url) == "/policies/review/"
    assert page.get_by_text("Notes stay on the platform.").is_visible()
    assert page.locator(".diff .added", has_text="Write your notes on the platform only.").count()
    visitor.screenshot("policy-review-desktop")

    # Accepting without ticking the box explains what is missing and records nothing.
    visitor.submit("button[value=accept]")
    assert page.get_by_text("Tick this box to accept the Mentor Code of Conduct.").is_visible()

    visitor.submit("button[value=decline]")
    assert page.get_by_text("We have your request to be removed.").is_visible()
    assert RemovalRequest.objects.get(user=mentor).status == "open"
    visitor.goto("/")
    assert page.locator(".mentor-card", has_text="Max Mentor").count() == 0
    visitor.screenshot("home-after-decline-desktop")

    # Changing their mind: accepting withdraws the request and restores the mentor area.
    visitor.goto("/mentor/")
    assert page.get_by_text("You asked to be removed on").is_visible()
    page.check("input[type=checkbox]")
    visitor.submit("button[value=accept]")
    assert Visitor.path(page.url) == "/mentor/"
    assert page.get_by_text("You are listed: mentees can find you.").is_visible()
    assert RemovalRequest.objects.get(user=mentor).status == "withdrawn"
