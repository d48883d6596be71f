import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.conftest import logged_in, make_user, staff_client
from mentor247.lib.markdown import render_markdown
from mentor247.mentors.listing import refresh_user_listing
from mentor247.mentors.queries import listed_profiles
from mentor247.policies.access import MENTOR_PREFIX, MentorAccess, mentor_access
from mentor247.policies.domain import (
    accept_pending,
    accept_versions,
    complete_removal,
    decline_pending,
    publish_version,
)
from mentor247.policies.models import (
    Policy,
    PolicyAcceptance,
    PolicyKind,
    PolicyVersion,
    RemovalRequest,
)
from mentor247.policies.queries import pending_versions
from mentor247.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def publish(
    kind: str, extra: str = "\nA new rule.\n", *, at: datetime | None = None
) -> PolicyVersion:
    policy = Policy.objects.get(kind=kind)
    latest = policy.versions.order_by("-number").first()
    assert latest is not None
    return publish_version(
        policy,
        text=latest.text + extra,
        changes="A new rule.",
        effective_at=at or timezone.now(),
        published_by=None,
    )


def all_routes() -> list[tuple[str, object]]:
    """(path, view) of every route, converters left in the path."""
    found: list[tuple[str, object]] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                found.append(("/" + prefix + str(pattern.pattern), pattern.callback))

    walk(get_resolver().url_patterns, "")
    return found


def mentor_urls() -> list[str]:
    """Every route under /mentor/, each of which must be guarded."""
    return [path for path, _view in all_routes() if path.startswith(MENTOR_PREFIX)]


def test_mentor_views_live_under_the_mentor_prefix_and_are_all_guarded() -> None:
    routes = all_routes()
    guarded = sorted(path for path, view in routes if getattr(view, "mentor_only", False))
    assert guarded == sorted(mentor_urls())
    assert guarded


def unguarded_mentor_view(request: object) -> HttpResponse:
    return HttpResponse("mentor things")


urlpatterns = [path("mentor/forgotten/", unguarded_mentor_view), *site_urlpatterns]


@pytest.mark.urls(__name__)
def test_a_mentor_page_that_forgot_its_decorator_is_still_guarded(
    mentor: User, stranger: User
) -> None:
    assert Client().get("/mentor/forgotten/")["Location"].startswith("/accounts/login/")
    assert logged_in(stranger).get("/mentor/forgotten/").status_code == 404
    assert logged_in(mentor).get("/mentor/forgotten/").status_code == 200
    publish(PolicyKind.CONDUCT)
    response = logged_in(mentor).get("/mentor/forgotten/")
    assert response["Location"].startswith("/policies/review/")


def test_default_policies_are_installed_with_a_version_each() -> None:
    in_effect = PolicyVersion.objects.in_effect()
    assert sorted(v.policy.kind for v in in_effect) == ["conduct", "privacy", "terms"]
    assert all(v.number == 1 and len(v.text) > 1000 for v in in_effect)


def test_publish_version_numbers_versions_and_refuses_bad_input(staff: User) -> None:
    second = publish(PolicyKind.CONDUCT)
    assert second.number == 2
    policy = second.policy
    with pytest.raises(ValidationError, match="same as version 2"):
        publish_version(
            policy, text=second.text, changes="x", effective_at=timezone.now(), published_by=staff
        )
    with pytest.raises(ValidationError, match="in the past"):
        publish_version(
            policy,
            text="Other",
            changes="x",
            effective_at=timezone.now() - timedelta(days=1),
            published_by=staff,
        )
    with pytest.raises(ValidationError, match="what changed"):
        publish_version(
            policy, text="Other", changes=" ", effective_at=timezone.now(), published_by=staff
        )
    assert policy.versions.count() == 2


def test_a_future_version_applies_only_from_its_effective_date(mentor: User) -> None:
    publish(PolicyKind.CONDUCT, at=timezone.now() + timedelta(days=7))
    assert pending_versions(mentor) == []
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert [v.number for v in pending_versions(mentor)] == [2]


def test_mentor_urls_send_a_mentor_without_the_newest_code_of_conduct_to_review(
    mentor: User,
) -> None:
    offering = mentor.mentor_profile.offerings.get()
    urls = [url.replace("<int:offering_id>", str(offering.pk)) for url in mentor_urls()]
    assert "/mentor/" in urls
    client = logged_in(mentor)
    for url in urls:
        # 405: pages that only take a POST
        assert client.get(url).status_code in (200, 405)
    publish(PolicyKind.CONDUCT)
    assert mentor_access(mentor) is MentorAccess.POLICIES_PENDING
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/policies/review/?next={url.replace('/', '%2F')}"
    # Mentee pages stay open: the Code of Conduct binds mentoring, not learning.
    assert client.get(reverse("accounts:preferences")).status_code == 200


def test_mentor_urls_are_not_found_for_people_who_are_not_mentors(
    stranger: User, mentor: User
) -> None:
    offering = mentor.mentor_profile.offerings.get()
    client = logged_in(stranger)
    for url in mentor_urls():
        url = url.replace("<int:offering_id>", str(offering.pk))
        assert client.get(url).status_code == 404


def test_declining_the_code_of_conduct_hides_the_mentor_and_accepting_restores_access(
    mentor: User,
) -> None:
    client = logged_in(mentor)
    assert [profile.user for profile in listed_profiles()] == [mentor]
    new = publish(PolicyKind.CONDUCT)
    assert [profile.user for profile in listed_profiles()] == []  # not yet accepted: not listed

    payload = {"versions": str(new.pk), "decision": "decline"}
    response = client.post(reverse("policies:review"), payload)
    assert response.status_code == 302
    request = RemovalRequest.objects.get(user=mentor)
    assert (request.status, request.declined_version) == ("open", new)
    assert [profile.user for profile in listed_profiles()] == []
    assert mentor.get_short_name() not in client.get("/").content.decode()
    assert client.get(reverse("mentor:home")).status_code == 302
    # Declining twice still makes one request.
    client.post(reverse("policies:review"), payload)
    assert RemovalRequest.objects.filter(user=mentor).count() == 1

    response = client.post(
        reverse("policies:review") + "?next=/mentor/",
        {"versions": str(new.pk), "decision": "accept", f"accept_{new.pk}": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/mentor/"
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert [profile.user for profile in listed_profiles()] == [mentor]
    assert client.get(reverse("mentor:home")).status_code == 200


def test_a_tampered_or_incomplete_acceptance_form_changes_nothing(mentor: User) -> None:
    client = logged_in(mentor)
    old = PolicyVersion.objects.get(policy__kind=PolicyKind.CONDUCT, number=1)
    new = publish(PolicyKind.CONDUCT)
    before = PolicyAcceptance.objects.count()
    attempts = [
        # a version that is not the one waiting
        {"versions": str(old.pk), "decision": "accept", f"accept_{old.pk}": "on"},
        # the box left unticked
        {"versions": str(new.pk), "decision": "accept"},
        # an unknown decision
        {"versions": str(new.pk), "decision": "maybe", f"accept_{new.pk}": "on"},
        # nothing at all
        {},
    ]
    for payload in attempts:
        response = client.post(reverse("policies:review"), payload)
        assert response.status_code == 400, payload
    assert PolicyAcceptance.objects.count() == before
    assert not RemovalRequest.objects.exists()
    text = client.post(reverse("policies:review"), attempts[0]).content.decode()
    assert "The policies changed while you were reading them" in text


def test_review_page_shows_what_changed_since_the_accepted_version(mentor: User) -> None:
    publish(PolicyKind.CONDUCT, "\nAlways bring a notebook.\n")
    page = logged_in(mentor).get(reverse("policies:review")).content.decode()
    assert (
        '<li class="added"><span class="visually-hidden">Added: </span>'
        "Always bring a notebook.</li>" in page
    )
    assert "What changed since version 1, which you accepted" in page


def test_everyone_is_sent_to_accept_new_terms_before_anything_else(mentee: User) -> None:
    client = logged_in(mentee)
    publish(PolicyKind.TERMS)
    response = client.get(reverse("accounts:preferences"))
    assert response.status_code == 302
    assert response["Location"].startswith("/policies/review/")
    # The policies themselves, and logging out, stay reachable.
    assert client.get(reverse("policies:document", args=["terms"])).status_code == 200
    assert client.get(reverse("policies:review")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_acceptances_are_never_edited(mentee: User, staff: User) -> None:
    acceptance = PolicyAcceptance.objects.filter(user=mentee).first()
    assert acceptance is not None
    acceptance.user_agent = "changed"
    with pytest.raises(ValueError, match="never edited"):
        acceptance.save()
    client = staff_client(staff)
    url = reverse("admin:policies_policyacceptance_change", args=[acceptance.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="user_agent"' not in page.content  # shown, not editable
    assert client.post(url, {"user_agent": "x"}).status_code == 403
    delete = reverse("admin:policies_policyacceptance_delete", args=[acceptance.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    acceptance.refresh_from_db()
    assert acceptance.user_agent == "tests"


def test_staff_publish_a_new_version_in_the_admin(staff: User) -> None:
    client = staff_client(staff)
    conduct = Policy.objects.get(kind=PolicyKind.CONDUCT)
    current = conduct.versions.get()
    url = reverse("admin:policies_policyversion_add")
    now = timezone.localtime(timezone.now())
    form = {
        "policy": conduct.pk,
        "text": current.text + "\nBe early.\n",
        "changes": "Be early.",
        "effective_at": now.strftime("%Y-%m-%dT%H:%M"),
    }
    response = client.post(url, {**form, "text": current.text})
    assert response.status_code == 200
    assert "The text is the same as version 1." in response.content.decode()
    assert conduct.versions.count() == 1
    response = client.post(url, form, follow=True)
    published = conduct.versions.get(number=2)
    assert published.published_by == staff
    assert "Mentor Code of Conduct, version 2" in response.content.decode()
    entry = LogEntry.objects.get()
    assert (entry.object_id, entry.object_repr) == (str(published.pk), str(published))
    # Once published, a version cannot be edited.
    change = reverse("admin:policies_policyversion_change", args=[published.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {**form, "text": "Rewritten"}).status_code == 403
    published.refresh_from_db()
    assert published.text.rstrip().endswith("Be early.")


def test_staff_carry_out_a_removal_request(mentor: User, staff: User) -> None:
    new = publish(PolicyKind.CONDUCT)
    logged_in(mentor).post(
        reverse("policies:review"), {"versions": str(new.pk), "decision": "decline"}
    )
    request = RemovalRequest.objects.get(user=mentor)
    response = staff_client(staff).post(
        reverse("admin:policies_removalrequest_changelist"),
        {"action": "carry_out", "_selected_action": [request.pk]},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    mentor.refresh_from_db()
    assert (request.status, request.resolved_by, mentor.is_mentor) == ("done", staff, False)


def test_accept_versions_is_idempotent(mentee: User) -> None:
    version = PolicyVersion.objects.in_effect().get(policy__kind=PolicyKind.TERMS)
    accept_versions(mentee, [version], ip_address=None, user_agent="again")
    assert PolicyAcceptance.objects.filter(user=mentee, version=version).count() == 1


def test_policy_markdown_is_rendered_safely() -> None:
    html = render_markdown(
        "# Title\n<script>alert(1)</script>\n[click](javascript:alert(1)) [ok](https://a.example)"
    )
    assert "<h1>Title</h1>" in html
    assert "<script>" not in html
    assert 'href="javascript' not in html
    assert 'href="https://a.example"' in html


def test_policy_pages_show_every_version(client: Client) -> None:
    publish(PolicyKind.PRIVACY)
    page = client.get(reverse("policies:document", args=["privacy"])).content.decode()
    assert "Version 2" in page and "Version 1" in page
    assert client.get(reverse("policies:version", args=["privacy", 1])).status_code == 200
    assert client.get(reverse("policies:version", args=["privacy", 9])).status_code == 404
    assert client.get(reverse("policies:document", args=["nonsense"])).status_code == 404


def review_page_versions(client: Client) -> str:
    page = client.get(reverse("policies:review")).content.decode()
    found = re.search(r'name="versions" value="([^"]*)"', page)
    assert found is not None
    return found.group(1)


def test_after_a_stale_form_the_page_shown_again_can_be_sent(mentor: User) -> None:
    client = logged_in(mentor)
    first = publish(PolicyKind.CONDUCT)
    shown = review_page_versions(client)
    second = publish(PolicyKind.CONDUCT, "\nAnd another.\n")
    stale = client.post(
        reverse("policies:review"),
        {"versions": shown, "decision": "accept", f"accept_{first.pk}": "on"},
    )
    assert stale.status_code == 400
    fresh = re.search(r'name="versions" value="([^"]*)"', stale.content.decode())
    assert fresh is not None and fresh.group(1) == str(second.pk)
    response = client.post(
        reverse("policies:review"),
        {"versions": fresh.group(1), "decision": "accept", f"accept_{second.pk}": "on"},
    )
    assert response.status_code == 302
    assert pending_versions(mentor) == []


def test_declining_the_terms_asks_to_close_the_account_and_only_conduct_the_mentor_role(
    mentor: User, staff: User
) -> None:
    terms = publish(PolicyKind.TERMS)
    conduct = publish(PolicyKind.CONDUCT)
    assert decline_pending(mentor, version_ids=[terms.pk, conduct.pk]).declined_version == terms
    RemovalRequest.objects.all().delete()
    accept_pending(mentor, version_ids=[terms.pk, conduct.pk], ip_address=None, user_agent="")

    conduct = publish(PolicyKind.CONDUCT, "\nThird.\n")
    removal = decline_pending(mentor, version_ids=[conduct.pk])
    assert removal.declined_version == conduct
    complete_removal(removal, by=staff)
    mentor.refresh_from_db()
    assert (mentor.is_active, mentor.is_mentor) == (True, False)


def test_deciding_on_versions_other_than_those_waiting_is_refused(mentor: User) -> None:
    with pytest.raises(ValidationError, match="changed while you were reading"):
        decline_pending(mentor, version_ids=[])  # nothing is waiting
    new = publish(PolicyKind.CONDUCT)
    with pytest.raises(ValidationError, match="changed while you were reading"):
        accept_pending(mentor, version_ids=[new.pk + 100], ip_address=None, user_agent="")
    assert not RemovalRequest.objects.exists()
    assert pending_versions(mentor) == [new]


def test_an_open_removal_request_keeps_a_mentor_out_of_listings(mentor: User) -> None:
    """Whoever opened it (a decline, or staff): listings leave the mentor out until it closes."""
    version = PolicyVersion.objects.in_effect().get(policy__kind=PolicyKind.CONDUCT)
    assert pending_versions(mentor) == []
    removal = RemovalRequest.objects.create(user=mentor, declined_version=version)
    refresh_user_listing([mentor.pk])  # as the domain does after its writes
    assert [profile.user for profile in listed_profiles()] == []
    removal.status = RemovalRequest.Status.WITHDRAWN
    removal.save()
    refresh_user_listing([mentor.pk])
    assert [profile.user for profile in listed_profiles()] == [mentor]


def test_people_reading_in_spanish_are_told_policies_apply_in_english(mentee: User) -> None:
    client = logged_in(mentee)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get(reverse("policies:document", args=["terms"])).content.decode()
    assert "el texto en inglés es el que se aplica" in page
    assert '<article class="document" lang="en">' in page


def test_a_newer_version_cannot_take_effect_before_an_older_one(staff: User) -> None:
    publish(PolicyKind.CONDUCT, at=timezone.now() + timedelta(days=7))
    conduct = Policy.objects.get(kind=PolicyKind.CONDUCT)
    with pytest.raises(ValidationError, match="cannot take effect before it"):
        publish_version(
            conduct,
            text="Something else",
            changes="Else.",
            effective_at=timezone.now() + timedelta(days=1),
            published_by=staff,
        )
    assert conduct.versions.count() == 2


def test_declining_the_terms_widens_an_open_code_of_conduct_removal(
    mentor: User, staff: User
) -> None:
    conduct = publish(PolicyKind.CONDUCT)
    decline_pending(mentor, version_ids=[conduct.pk])
    terms = publish(PolicyKind.TERMS)
    removal = decline_pending(mentor, version_ids=[terms.pk, conduct.pk])
    assert RemovalRequest.objects.get() == removal
    assert removal.declined_version == terms
    complete_removal(removal, by=staff)
    mentor.refresh_from_db()
    assert (mentor.is_active, mentor.is_mentor) == (False, False)


@pytest.mark.django_db(transaction=True)
def test_accepting_while_staff_carry_out_the_removal_never_deadlocks(staff: User) -> None:
    """Both lock the person first, then the request: rounds of the two at once all finish."""
    errors: list[BaseException] = []
    for number in range(6):
        mentor = make_user(f"racer{number}@example.com", mentor=True)
        conduct = publish(PolicyKind.CONDUCT, f"\nRound {number}.\n")
        removal = decline_pending(mentor, version_ids=[conduct.pk])
        start = threading.Barrier(2)

        def run(action: Callable[[], object], start: threading.Barrier = start) -> None:
            try:
                start.wait()
                action()
            except ValidationError:
                pass  # the removal came first: nothing is left to accept
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [
            threading.Thread(
                target=run,
                args=(
                    lambda m=mentor, c=conduct: accept_pending(
                        m, version_ids=[c.pk], ip_address=None, user_agent=""
                    ),
                ),
            ),
            threading.Thread(target=run, args=(lambda r=removal: complete_removal(r, by=staff),)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        removal.refresh_from_db()
        assert removal.status in ("withdrawn", "done")
    assert errors == []


def test_people_with_acceptances_are_deactivated_never_deleted(mentee: User, staff: User) -> None:
    with pytest.raises(ProtectedError):
        mentee.delete()
    client = staff_client(staff)
    delete = reverse("admin:accounts_user_delete", args=[mentee.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert PolicyAcceptance.objects.filter(user=mentee).count() == 2


def test_api_calls_with_new_terms_pending_are_told_in_json(mentee: User) -> None:
    client = logged_in(mentee)
    assert client.get("/api/mentors").status_code == 200
    publish(PolicyKind.TERMS)

    response = client.get("/api/mentors")

    assert (response.status_code, response.json()["review_url"]) == (403, "/policies/review/")
