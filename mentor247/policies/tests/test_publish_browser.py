"""Staff publish a new policy version in the admin, in a real browser."""

from mentor247.accounts.models import User
from mentor247.conftest import Visitor
from mentor247.policies.models import PolicyKind, PolicyVersion


def test_staff_publish_a_new_code_of_conduct_in_the_admin(visitor: Visitor, staff: User) -> None:
    page = visitor.page
    visitor.log_in(staff.email)

    visitor.goto("/staff/admin/policies/policyversion/add/")
    assert page.get_by_text("Times are shown in UTC.").is_visible()
    page.select_option("select[name=policy]", label="Mentor Code of Conduct")
    current = PolicyVersion.objects.get(policy__kind=PolicyKind.CONDUCT)
    page.fill("textarea[name=text]", current.text + "\nArrive five minutes early.\n")
    # Leaving out the summary of changes is refused, and nothing is published.
    visitor.submit("input[name=_save]")
    assert page.get_by_text("Say briefly what changed").is_visible()
    assert PolicyVersion.objects.filter(policy__kind=PolicyKind.CONDUCT).count() == 1

    page.fill("textarea[name=changes]", "Mentors arrive five minutes early.")
    visitor.submit("input[name=_save]")
    published = PolicyVersion.objects.get(policy__kind=PolicyKind.CONDUCT, number=2)
    assert published.published_by == staff
    assert published.changes == "Mentors arrive five minutes early."
    visitor.screenshot("admin-policy-versions-desktop")
