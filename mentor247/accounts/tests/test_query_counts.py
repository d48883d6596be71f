"""List pages make the same number of queries whether they list one item or three."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.conftest import make_user, staff_client
from mentor247.policies.domain import accept_versions, decline_pending, publish_version
from mentor247.policies.models import Policy, PolicyKind
from mentor247.policies.queries import pending_versions

pytestmark = pytest.mark.django_db


def query_count(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert getattr(response, "status_code", 200) == 200
    return len(captured.captured_queries)


def new_version_accepted_by(user: User, kind: str, *, published_by: User | None = None) -> None:
    policy = Policy.objects.get(kind=kind)
    latest = policy.versions.order_by("-number")[0]
    publish_version(
        policy,
        text=f"{latest.text}\nv{latest.number + 1}",
        changes="More.",
        effective_at=timezone.now(),
        published_by=published_by,
    )
    accept_versions(user, pending_versions(user), ip_address=None, user_agent="tests")


def test_home_page_lists_mentors_in_constant_queries(client: Client) -> None:
    make_user("one@example.com", mentor=True)
    one = query_count(lambda: client.get("/"))
    make_user("two@example.com", mentor=True)
    make_user("three@example.com", mentor=True)
    assert query_count(lambda: client.get("/")) == one


def test_preferences_list_acceptances_in_constant_queries(mentee: User) -> None:
    client = Client()
    client.force_login(mentee)
    one = query_count(lambda: client.get("/me/settings/"))
    new_version_accepted_by(mentee, PolicyKind.TERMS)
    new_version_accepted_by(mentee, PolicyKind.PRIVACY)
    assert query_count(lambda: client.get("/me/settings/")) == one


def test_policy_pages_list_versions_in_constant_queries(client: Client, mentee: User) -> None:
    one = query_count(lambda: client.get("/policies/terms/"))
    new_version_accepted_by(mentee, PolicyKind.TERMS)
    new_version_accepted_by(mentee, PolicyKind.TERMS)
    assert query_count(lambda: client.get("/policies/terms/")) == one


def test_mentor_area_checks_policies_once(mentor: User) -> None:
    """The middleware's check covers the page: the decorator does not repeat it."""
    client = Client()
    client.force_login(mentor)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/mentor/").status_code == 200
    policy_checks = [
        query
        for query in captured.captured_queries
        if query["sql"].startswith('SELECT 1 AS "a" FROM "policies_policyversion"')
    ]
    assert len(policy_checks) == 1
    # session, user, their mentor profile (the role), policy check, versions in effect,
    # acceptances, listed (versions in effect, exists)
    assert len(captured.captured_queries) == 8


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:accounts_user_changelist",
        "admin:policies_policyversion_changelist",
        "admin:policies_policyacceptance_changelist",
        "admin:policies_removalrequest_changelist",
    ],
)
def test_admin_lists_in_constant_queries(staff: User, changelist: str) -> None:
    client = staff_client(staff)
    url = reverse(changelist)

    def add_rows() -> None:
        # Each round adds a person, two acceptances, a policy version and a removal request.
        person = make_user(f"row{User.objects.count()}@example.com", mentor=True)
        new_version_accepted_by(staff, PolicyKind.CONDUCT, published_by=staff)
        decline_pending(person, version_ids=[pending_versions(person)[0].pk])

    add_rows()
    one = query_count(lambda: client.get(url))
    add_rows()
    add_rows()
    assert query_count(lambda: client.get(url)) == one
