"""Personal API tokens: the domain functions and the pages at /me/tokens/."""

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.api.domain import (
    MAX_ACTIVE_TOKENS,
    access_token,
    create_token,
    digest_of,
    note_token_use,
    revoke_all_tokens,
    revoke_token,
    token_for_secret,
)
from mentor247.api.models import ApiToken, RevokedBecause
from mentor247.conftest import PASSWORD, staff_client

# What the page's form sends besides a name.
CHOICES = {"scopes": ["read"], "expires_in_days": "90"}

pytestmark = pytest.mark.django_db


# The domain ----------------------------------------------------------------------------------


def test_token_secret_is_never_stored_in_clear(mentee: User) -> None:
    token, secret = create_token(mentee, name="  Calendar sync  ")

    assert re.fullmatch(r"m247_[A-Za-z0-9_-]{43}", secret)
    assert (token.name, token.prefix, token.digest) == (
        "Calendar sync",
        secret[:12],
        digest_of(secret),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert [value for value in rows[0] if secret in str(value)] == []


def test_token_for_secret_finds_only_active_tokens(mentee: User) -> None:
    token, secret = create_token(mentee, name="script")

    assert token_for_secret(secret) == token
    assert token_for_secret(secret + "x") is None
    assert token_for_secret(token.digest) is None
    revoke_token(token)
    assert token_for_secret(secret) is None


def test_token_create_needs_a_name(mentee: User) -> None:
    with pytest.raises(ValidationError) as refused:
        create_token(mentee, name="   ")

    assert list(refused.value.message_dict) == ["name"]
    assert ApiToken.objects.count() == 0


def test_token_create_stops_at_the_limit_of_active_tokens(mentee: User) -> None:
    made = [create_token(mentee, name=f"token {n}")[0] for n in range(MAX_ACTIVE_TOKENS)]

    with pytest.raises(ValidationError):
        create_token(mentee, name="one too many")
    revoke_token(made[0])
    create_token(mentee, name="in place of token 0")

    assert ApiToken.objects.filter(user=mentee, revoked_at__isnull=True).count() == 20


def test_token_revoke_twice_keeps_the_first_time(mentee: User) -> None:
    token, _secret = create_token(mentee, name="script")
    first = revoke_token(token).revoked_at

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        again = revoke_token(token)

    assert again.revoked_at == first is not None


def test_token_use_is_written_at_most_once_a_minute(mentee: User) -> None:
    token, _secret = create_token(mentee, name="script")
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        note_token_use(token)
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        note_token_use(ApiToken.objects.get(pk=token.pk))
    token.refresh_from_db()
    assert token.last_used_at == start

    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        note_token_use(ApiToken.objects.get(pk=token.pk))
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=61)


def test_token_use_writes_no_query_within_the_minute(mentee: User) -> None:
    token, _secret = create_token(mentee, name="script")
    note_token_use(token)

    with CaptureQueriesContext(connection) as captured:
        note_token_use(token)

    assert captured.captured_queries == []


def test_access_token_is_404_for_someone_elses(mentee: User, stranger: User) -> None:
    token, _secret = create_token(mentee, name="script")

    assert access_token(mentee, token.pk) == token
    with pytest.raises(Http404):
        access_token(stranger, token.pk)
    with pytest.raises(Http404):
        access_token(mentee, token.pk + 1)


# The pages -----------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    """A client whose person gave their password again moments ago, as making a token asks."""
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def test_token_pages_need_a_login(client: Client) -> None:
    response = client.get("/me/tokens/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post("/me/tokens/", {"name": "x"}).status_code == 302
    assert ApiToken.objects.count() == 0


def test_token_page_shows_a_new_secret_once(mentee: User) -> None:
    client = logged_in(mentee)

    made = client.post("/me/tokens/", {"name": "Calendar sync", **CHOICES})

    assert made.status_code == 200
    token = ApiToken.objects.get(user=mentee)
    secret = re.search(r'value="(m247_[^"]+)"', made.content.decode())
    assert secret is not None
    assert digest_of(secret.group(1)) == token.digest
    assert "no-store" in made["Cache-Control"]
    listed = client.get("/me/tokens/").content.decode()
    assert "Calendar sync" in listed
    assert token.prefix in listed
    assert secret.group(1) not in listed


def test_token_page_refuses_a_blank_name(mentee: User) -> None:
    response = logged_in(mentee).post("/me/tokens/", {"name": "  ", **CHOICES})

    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_token_create_asks_for_the_password_again_then_goes_on(mentee: User) -> None:
    client = Client()
    client.force_login(mentee)
    assert client.get("/me/tokens/").status_code == 200

    asked = client.post("/me/tokens/", {"name": "Calendar sync", **CHOICES})

    assert asked.status_code == 302
    assert asked["Location"] == "/accounts/reauthenticate/?next=%2Fme%2Ftokens%2F"
    assert ApiToken.objects.count() == 0
    made = client.post(asked["Location"], {"password": PASSWORD, "next": "/me/tokens/"})
    token = ApiToken.objects.get(user=mentee)
    assert token.name == "Calendar sync"
    assert token.prefix in made.content.decode()


def test_token_revoke_by_its_owner(mentee: User) -> None:
    token, _secret = create_token(mentee, name="script")
    client = Client()
    client.force_login(mentee)

    response = client.post(f"/me/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == "/me/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get("/me/tokens/").content.decode()


def test_token_revoke_of_someone_elses_token_is_404(mentee: User, stranger: User) -> None:
    token, _secret = create_token(mentee, name="Calendar sync")
    client = Client()
    client.force_login(stranger)

    response = client.post(f"/me/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "Calendar sync" not in client.get("/me/tokens/").content.decode()


def test_token_revoke_needs_post_and_csrf(mentee: User) -> None:
    token, _secret = create_token(mentee, name="script")
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee)

    assert client.get(f"/me/tokens/{token.pk}/revoke/").status_code == 405
    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_preferences_page_links_to_the_tokens(mentee: User) -> None:
    client = Client()
    client.force_login(mentee)

    assert 'href="/me/tokens/"' in client.get("/me/settings/").content.decode()


def test_token_page_lists_in_constant_queries(mentee: User) -> None:
    client = Client()
    client.force_login(mentee)
    create_token(mentee, name="one")
    with CaptureQueriesContext(connection) as one:
        client.get("/me/tokens/")
    for n in range(3):
        revoke_token(create_token(mentee, name=f"more {n}")[0])

    with CaptureQueriesContext(connection) as four:
        client.get("/me/tokens/")

    assert len(four.captured_queries) == len(one.captured_queries)


# Scopes, expiry and the end of every token with the password ---------------------------------


def test_token_keeps_the_scopes_and_life_it_was_made_with(mentee: User) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token, secret = create_token(
            mentee, name="calendar", scopes=["manage", "read"], expires_in_days=30
        )

    assert token.scopes == ["read", "manage"]
    assert token.expires_at == start + timedelta(days=30)
    assert token.is_active
    assert token_for_secret(secret) == token
    with time_machine.travel(start + timedelta(days=30)):
        assert token.is_expired
        assert not token.is_active


@pytest.mark.parametrize(
    ("choices", "field"),
    [
        ({"scopes": []}, "scopes"),
        ({"scopes": ["read", "admin"]}, "scopes"),
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 366}, "expires_in_days"),
    ],
)
def test_token_create_refuses_unknown_scopes_and_lives_beyond_the_most(
    mentee: User, choices: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        create_token(mentee, name="script", **choices)  # type: ignore[arg-type]

    assert list(refused.value.message_dict) == [field]
    assert ApiToken.objects.count() == 0


def test_expired_tokens_do_not_count_against_the_limit(mentee: User) -> None:
    for n in range(MAX_ACTIVE_TOKENS):
        create_token(mentee, name=f"token {n}", expires_in_days=7)

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        create_token(mentee, name="after they expired")

    assert ApiToken.objects.filter(user=mentee).count() == MAX_ACTIVE_TOKENS + 1


def test_revoke_all_tokens_ends_only_that_persons_working_tokens(
    mentee: User, stranger: User
) -> None:
    kept, _secret = create_token(stranger, name="theirs")
    first, _secret = create_token(mentee, name="one")
    create_token(mentee, name="two")
    revoked_before = revoke_token(first).revoked_at

    assert revoke_all_tokens(mentee) == 1

    assert not ApiToken.objects.filter(user=mentee, revoked_at__isnull=True).exists()
    first.refresh_from_db()
    assert (first.revoked_at, first.revoked_because) == (revoked_before, RevokedBecause.OWNER)
    assert set(ApiToken.objects.filter(user=mentee).values_list("revoked_because", flat=True)) == {
        RevokedBecause.OWNER,
        RevokedBecause.PASSWORD,
    }
    kept.refresh_from_db()
    assert kept.is_active


def test_token_page_makes_a_token_with_the_chosen_scopes_and_life(mentee: User) -> None:
    client = logged_in(mentee)

    made = client.post(
        "/me/tokens/", {"name": "Bookings bot", "scopes": ["read", "book"], "expires_in_days": "7"}
    )

    assert made.status_code == 200
    token = ApiToken.objects.get(user=mentee)
    assert token.scopes == ["read", "book"]
    assert timedelta(days=6, hours=23) < token.expires_at - token.created_at <= timedelta(days=7)
    page = made.content.decode()
    assert "Book, move and cancel sessions" in page
    assert "Works until" in page


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"scopes": [], "expires_in_days": "90"}, "Choose at least one thing the token may do."),
        ({"scopes": ["root"], "expires_in_days": "90"}, "Select a valid choice."),
        ({"scopes": ["read"], "expires_in_days": "3650"}, "Select a valid choice."),
    ],
)
def test_token_page_refuses_no_scope_and_unoffered_lives(
    mentee: User, choices: dict[str, object], message: str
) -> None:
    response = logged_in(mentee).post("/me/tokens/", {"name": "script", **choices})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_token_page_shows_each_tokens_scopes_life_use_and_state(mentee: User) -> None:
    working, _secret = create_token(mentee, name="working", scopes=["read"])
    note_token_use(working)
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        create_token(mentee, name="short-lived", scopes=["manage"], expires_in_days=7)
    revoke_token(create_token(mentee, name="revoked", scopes=["book"])[0])
    client = Client()
    client.force_login(mentee)

    page = client.get("/me/tokens/").content.decode()

    cards = {
        re.search(r"<h3>(.*?)</h3>", card).group(1): card  # type: ignore[union-attr]
        for card in page.split('<li class="card" id="token-')[1:]
    }
    assert "Read your profile" in cards["working"]
    assert "Works until" in cards["working"]
    assert "Never" not in cards["working"]
    assert ">Revoke<" in cards["working"]
    assert "Change your mentor profile" in cards["short-lived"]
    assert "Expired" in cards["short-lived"]
    assert ">Revoke<" not in cards["short-lived"]
    assert "Revoked" in cards["revoked"]
    assert "by you" in cards["revoked"]


def test_changing_the_password_ends_every_token(mentee: User) -> None:
    token, _secret = create_token(mentee, name="script")
    client = Client()
    client.post("/accounts/login/", {"login": mentee.email, "password": PASSWORD})

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "Another-long-pass-99",
            "password2": "Another-long-pass-99",
        },
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert (token.is_active, token.revoked_because) == (False, RevokedBecause.PASSWORD)
    assert "when your password changed" in client.get("/me/tokens/").content.decode()


def test_resetting_the_password_ends_every_token(
    mentee: User, django_capture_on_commit_callbacks: Any
) -> None:
    token, _secret = create_token(mentee, name="script")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": mentee.email})
    [message] = mail.outbox
    found = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", str(message.body))
    assert found is not None
    form_url = client.get(found.group(1))["Location"]

    new = "Quite-another-passphrase-42"
    assert client.post(form_url, {"password1": new, "password2": new}).status_code == 302

    token.refresh_from_db()
    assert (token.is_active, token.revoked_because) == (False, RevokedBecause.PASSWORD)


def test_staff_setting_a_password_in_the_admin_ends_every_token(mentee: User, staff: User) -> None:
    token, _secret = create_token(mentee, name="script")
    client = staff_client(staff)
    new = "Quite-another-passphrase-42"

    response = client.post(
        f"/staff/admin/accounts/user/{mentee.pk}/password/",
        {"password1": new, "password2": new, "usable_password": "true"},
    )

    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.check_password(new)
    token.refresh_from_db()
    assert token.revoked_because == RevokedBecause.PASSWORD
