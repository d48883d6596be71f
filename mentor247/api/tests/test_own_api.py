"""The /api/me/ endpoints: who may call them, and how they change a mentor's own profile and
offerings through the domain (and nothing else)."""

import json
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.api.domain import create_token, revoke_token
from mentor247.api.tests.conftest import bearer, offering_payload, token_client
from mentor247.conftest import make_profile, make_user
from mentor247.lib.languages import Proficiency
from mentor247.mentors.domain import Decision, decide
from mentor247.mentors.models import MentorProfile, Offering
from mentor247.policies.domain import publish_version
from mentor247.policies.models import Policy, PolicyKind

pytestmark = pytest.mark.django_db

WRITES = [
    ("patch", "/api/me/profile", {"headline": "New"}),
    ("post", "/api/me/offerings", offering_payload()),
    ("put", "/api/me/offerings/{offering}", offering_payload()),
    ("delete", "/api/me/offerings/{offering}", None),
]


def call(client: Client, method: str, path: str, body: Any = None, **extra: Any) -> Any:
    if body is None:
        return getattr(client, method)(path, **extra)
    return getattr(client, method)(
        path, data=json.dumps(body), content_type="application/json", **extra
    )


def offering_of(user: User) -> Offering:
    return Offering.objects.current().get(profile__user=user)


def snapshot(profile: MentorProfile) -> dict[str, Any]:
    profile.refresh_from_db()
    return {
        **model_to_dict(profile, exclude=["expertise"]),
        "expertise": sorted(profile.expertise.values_list("name", flat=True)),
        "languages": sorted(profile.languages.values_list("language", "proficiency")),
    }


# Who may call --------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_own_writes_without_credentials_are_401(
    client: Client, mentor: User, method: str, path: str, body: Any
) -> None:
    offering = offering_of(mentor)
    before = snapshot(mentor.mentor_profile)

    response = call(client, method, path.format(offering=offering.pk), body)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "token" in response.json()["detail"]
    assert snapshot(mentor.mentor_profile) == before
    assert list(Offering.objects.filter(profile__user=mentor)) == [offering]


def test_own_reads_without_credentials_are_401(client: Client, mentor: User) -> None:
    assert client.get("/api/me/profile").status_code == 401
    assert client.get("/api/me/offerings").status_code == 401


def test_token_authenticates_and_records_its_use(mentor: User) -> None:
    token, secret = create_token(mentor, name="script")

    response = Client(headers=bearer(secret)).get("/api/me/profile")

    assert response.status_code == 200
    assert response.json()["id"] == mentor.mentor_profile.pk
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_401(mentor: User) -> None:
    token, secret = create_token(mentor, name="script")
    client = Client(headers=bearer(secret))
    assert client.get("/api/me/profile").status_code == 200

    revoke_token(token)

    response = client.get("/api/me/profile")
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "This token is not valid: it was revoked, or it never existed."
    )
    assert call(client, "post", "/api/me/offerings", offering_payload()).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer m247_not-a-token", "Bearer nonsense", "Token m247_abc", "Bearer "]
)
def test_unknown_or_malformed_token_is_401(mentor: User, header: str) -> None:
    response = Client(headers={"Authorization": header}).get("/api/me/profile")

    assert response.status_code == 401


def test_bad_token_is_401_even_with_a_login_session(mentor: User) -> None:
    client = Client(headers=bearer("m247_wrong"))
    client.force_login(mentor)

    assert client.get("/api/me/profile").status_code == 401


def test_token_of_a_deactivated_account_is_401(mentor: User) -> None:
    client = token_client(mentor)
    User.objects.filter(pk=mentor.pk).update(is_active=False)

    assert client.get("/api/me/profile").status_code == 401


def test_session_write_needs_the_csrf_token(mentor: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentor)
    assert client.get("/api/docs").status_code == 200  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value

    refused = call(client, "post", "/api/me/offerings", offering_payload())
    accepted = call(client, "post", "/api/me/offerings", offering_payload(), HTTP_X_CSRFTOKEN=csrf)

    assert refused.status_code == 403
    assert refused.json() == {
        "code": "forbidden",
        "detail": "The CSRF check failed: send the value of the csrftoken cookie in the "
        "X-CSRFToken header.",
        "errors": {},
    }
    assert accepted.status_code == 201
    assert Offering.objects.filter(profile__user=mentor).count() == 2


def test_session_read_needs_no_csrf_token(mentor: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentor)

    assert client.get("/api/me/offerings").status_code == 200


def test_token_write_needs_no_csrf_token(mentor: User) -> None:
    _token, secret = create_token(mentor, name="script")
    client = Client(enforce_csrf_checks=True, headers=bearer(secret))

    assert call(client, "post", "/api/me/offerings", offering_payload()).status_code == 201


def test_own_endpoints_are_404_without_a_mentor_profile(stranger: User) -> None:
    client = token_client(stranger)

    assert client.get("/api/me/profile").status_code == 404
    assert client.get("/api/me/offerings").status_code == 404
    assert call(client, "post", "/api/me/offerings", offering_payload()).status_code == 404


def test_own_endpoints_are_404_for_a_removed_mentor(mentor: User, staff: User) -> None:
    client = token_client(mentor)
    decide(mentor.mentor_profile, Decision.REMOVE, note="Paid off the platform.", by=staff)

    assert client.get("/api/me/profile").status_code == 404
    assert call(client, "patch", "/api/me/profile", {"headline": "Back"}).status_code == 404


def test_own_endpoints_serve_a_mentor_in_review(mentee: User) -> None:
    make_profile(mentee, status=MentorProfile.Status.APPLIED)

    response = token_client(mentee).get("/api/me/profile")

    assert response.status_code == 200
    assert response.json()["status"] == "applied"


def test_own_endpoints_are_403_until_new_policies_are_accepted(mentor: User) -> None:
    client = token_client(mentor)
    conduct = Policy.objects.get(kind=PolicyKind.CONDUCT)
    publish_version(
        conduct,
        text=conduct.versions.get(number=1).text + "\nA new rule.\n",
        changes="A new rule.",
        effective_at=timezone.now(),
        published_by=None,
    )

    response = call(client, "patch", "/api/me/profile", {"headline": "Changed"})

    assert response.status_code == 403
    assert "/policies/review/" in response.json()["detail"]
    assert MentorProfile.objects.get(user=mentor).headline != "Changed"


# The profile ---------------------------------------------------------------------------------


def test_own_profile_shows_the_editable_fields(mentor: User, mentor_client: Client) -> None:
    body = mentor_client.get("/api/me/profile").json()

    assert body == {
        "id": mentor.mentor_profile.pk,
        "status": "approved",
        "headline": "Product management, from first job to head of product",
        "bio": "Fifteen years in product teams; I mentor new and aspiring product managers.",
        "expertise": ["Product management"],
        "years_of_experience": 10,
        "languages": [{"code": "en", "level": 4}],
        "country": "GB",
        "time_zone": "Europe/London",
        "currency": "EUR",
        "photo": None,
    }


def test_profile_patch_changes_only_the_fields_sent(mentor: User, mentor_client: Client) -> None:
    before = snapshot(mentor.mentor_profile)

    response = call(
        mentor_client,
        "patch",
        "/api/me/profile",
        {
            "headline": "Head of product, mentoring new product managers",
            "languages": [{"code": "en", "level": 4}, {"code": "de", "level": 2}],
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["languages"] == [{"code": "en", "level": 4}, {"code": "de", "level": 2}]
    after = snapshot(mentor.mentor_profile)
    assert after == {
        **before,
        "headline": "Head of product, mentoring new product managers",
        "languages": [("de", Proficiency.CONVERSATIONAL), ("en", Proficiency.NATIVE)],
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"headline": "  ", "bio": "A new bio"}, "headline"),
        ({"bio": "A new bio", "expertise": []}, "expertise"),
        ({"bio": "A new bio", "languages": [{"code": "xx", "level": 2}]}, "languages"),
        ({"bio": "A new bio", "time_zone": "Mars/Base"}, "time_zone"),
        ({"bio": "A new bio", "currency": "GBP"}, "currency"),  # priced offerings in EUR
        ({"bio": "A new bio", "years_of_experience": 99}, "years_of_experience"),
    ],
)
def test_profile_patch_refused_by_the_domain_changes_nothing(
    mentor: User, mentor_client: Client, body: dict[str, Any], field: str
) -> None:
    before = snapshot(mentor.mentor_profile)

    response = call(mentor_client, "patch", "/api/me/profile", body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert snapshot(mentor.mentor_profile) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bio": "A new bio", "headline": None}, "headline"),
        ({"bio": "A new bio", "headline": "x" * 121}, "headline"),
        ({"bio": "A new bio", "languages": [{"code": "en", "level": 9}]}, "languages.0.level"),
        ({"bio": "A new bio", "country": "Germany"}, "country"),
        ({"bio": "A new bio", "years_of_experience": "many"}, "years_of_experience"),
    ],
)
def test_profile_patch_out_of_schema_changes_nothing(
    mentor: User, mentor_client: Client, body: dict[str, Any], field: str
) -> None:
    before = snapshot(mentor.mentor_profile)

    response = call(mentor_client, "patch", "/api/me/profile", body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert snapshot(mentor.mentor_profile) == before


def test_profile_patch_changes_currency_when_nothing_is_priced(mentee: User) -> None:
    profile = make_profile(mentee, prices=(0,))

    response = call(token_client(mentee), "patch", "/api/me/profile", {"currency": "INR"})

    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.currency == "INR"


# Offerings -----------------------------------------------------------------------------------


def test_own_offerings_list_current_and_optionally_retired(
    mentor: User, mentor_client: Client
) -> None:
    old = offering_of(mentor)
    Offering.objects.filter(pk=old.pk).update(retired_at=timezone.now())
    new = call(mentor_client, "post", "/api/me/offerings", offering_payload()).json()

    current = mentor_client.get("/api/me/offerings").json()
    everything = mentor_client.get("/api/me/offerings", {"retired": "true"}).json()

    assert [o["id"] for o in current] == [new["id"]]
    assert [o["id"] for o in everything] == [old.pk, new["id"]]
    assert everything[0]["retired_at"].endswith("Z")


def test_offering_create_uses_the_mentor_currency(mentor: User, mentor_client: Client) -> None:
    response = call(mentor_client, "post", "/api/me/offerings", offering_payload(price=15050))

    assert response.status_code == 201
    body = response.json()
    assert body["price"] == {"amount": 15050, "currency": "EUR", "display": "€150.50"}
    assert (body["retired_at"], body["replaces"]) == (None, None)
    created = Offering.objects.get(pk=body["id"])
    assert (created.profile_id, created.plan) == (
        mentor.mentor_profile.pk,
        offering_payload()["plan"],
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"plan": ["Only one topic"]}, "plan"),
        ({"session_minutes": 50}, "session_minutes"),
        ({"session_count": 13, "plan": ["x"] * 12}, "session_count"),
        ({"title": " "}, "title"),
        ({"price": -1}, "price"),
        ({"price": "a lot"}, "price"),
        ({"title": "x" * 121}, "title"),
    ],
)
def test_offering_create_refused_writes_nothing(
    mentor: User, mentor_client: Client, changes: dict[str, Any], field: str
) -> None:
    response = call(mentor_client, "post", "/api/me/offerings", offering_payload(**changes))

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert Offering.objects.filter(profile__user=mentor).count() == 1


def test_offering_put_keeps_the_old_row_unchanged_and_retired(
    mentor: User, mentor_client: Client
) -> None:
    old = offering_of(mentor)
    before = model_to_dict(old)

    response = call(
        mentor_client, "put", f"/api/me/offerings/{old.pk}", offering_payload(price=7000)
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] != old.pk
    assert (body["replaces"], body["price"]["amount"]) == (old.pk, 7000)
    old.refresh_from_db()
    assert old.retired_at is not None
    assert model_to_dict(old) == {**before, "retired_at": old.retired_at}
    assert list(Offering.objects.current().filter(profile__user=mentor)) == [
        Offering.objects.get(pk=body["id"])
    ]
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.lowest_price == 7000


def test_offering_put_refused_changes_nothing(mentor: User, mentor_client: Client) -> None:
    old = offering_of(mentor)
    before = model_to_dict(old)

    response = call(mentor_client, "put", f"/api/me/offerings/{old.pk}", offering_payload(plan=[]))

    assert response.status_code == 422
    old.refresh_from_db()
    assert model_to_dict(old) == before
    assert Offering.objects.filter(profile__user=mentor).count() == 1


def test_offering_delete_retires_it(mentor: User, mentor_client: Client) -> None:
    offering = offering_of(mentor)

    response = mentor_client.delete(f"/api/me/offerings/{offering.pk}")
    again = mentor_client.delete(f"/api/me/offerings/{offering.pk}")

    assert response.status_code == 204
    offering.refresh_from_db()
    assert offering.retired_at is not None
    assert again.status_code == 422
    assert "retired" in again.json()["detail"]


def test_a_mentor_cannot_touch_another_mentors_offering(
    mentor: User, mentor_client: Client
) -> None:
    other = make_user("olive.other@example.com", mentor=True)
    theirs = offering_of(other)
    before = model_to_dict(theirs)

    put = call(mentor_client, "put", f"/api/me/offerings/{theirs.pk}", offering_payload())
    delete = mentor_client.delete(f"/api/me/offerings/{theirs.pk}")
    listed = mentor_client.get("/api/me/offerings").json()

    assert (put.status_code, delete.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert model_to_dict(theirs) == before
    assert Offering.objects.filter(profile__user=other).count() == 1
    assert theirs.pk not in [o["id"] for o in listed]
