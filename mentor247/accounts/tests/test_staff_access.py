"""Staff pages (the admin and every page under /staff/): allauth's login with its limits and
its two-factor step is the only way in, and staff without two-factor authentication are sent
to turn it on first."""

import time
from urllib.parse import quote

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from mentor247.accounts.models import User
from mentor247.conftest import PASSWORD, STAFF_TOTP_SECRET, make_user, staff_client

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/staff/admin/login/"
STAFF_PAGES = ["/staff/admin/", "/staff/payments/", "/staff/mentors/"]


def admin_login(client: Client, user: User, password: str = PASSWORD) -> str:
    """Sends the admin's own login form, as its page used to take it; the redirect's target."""
    response = client.post(
        ADMIN_LOGIN, {"username": user.email, "password": password, "next": "/staff/admin/"}
    )
    assert response.status_code == 302
    return str(response["Location"])


def test_admin_login_with_the_password_alone_logs_nobody_in(client: Client, staff: User) -> None:
    where = admin_login(client, staff)

    assert where == f"{LOGIN}?next=%2Fstaff%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(LOGIN) or response["Location"].startswith(
            "/staff/admin/login/"
        ), path


def test_admin_login_sends_everyone_to_the_limited_login(client: Client, staff: User) -> None:
    for _attempt in range(15):
        admin_login(client, staff, "not-the-password")
    assert "_auth_user_id" not in client.session

    # The login the admin sends to counts failures and stops them, right password or not.
    for _attempt in range(5):
        client.post(LOGIN, {"login": staff.email, "password": "not-the-password"})
    refused = client.post(LOGIN, {"login": staff.email, "password": PASSWORD})
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_without_two_factor_are_sent_to_turn_it_on(client: Client, path: str) -> None:
    person = make_user("tom.staff@example.com", staff=True, two_factor=False)
    assert client.post(LOGIN, {"login": person.email, "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_without_two_factor_cannot_refund(client: Client) -> None:
    person = make_user("tom.staff@example.com", staff=True, two_factor=False)
    client.force_login(person)

    response = client.post("/staff/payments/retry/refund/1/")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_two_factor_reach_staff_pages_after_the_second_step(
    client: Client, staff: User
) -> None:
    first = client.post(LOGIN, {"login": staff.email, "password": PASSWORD, "next": "/staff/"})
    assert first["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/payments/")["Location"].startswith(LOGIN)

    second = client.post(
        "/accounts/2fa/authenticate/", {"code": pyotp.TOTP(STAFF_TOTP_SECRET).now()}
    )

    assert second.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 200, path
    # The admin's login page, for someone logged in, leads on to the admin.
    assert client.get(ADMIN_LOGIN)["Location"] == "/staff/admin/"


def test_a_staff_session_that_gave_no_code_gives_one_first(client: Client, staff: User) -> None:
    """A login that never passed the two-factor step (one made before it was required, or by
    any other way) reaches no staff page until a code is given in that session."""
    client.force_login(staff)

    for path in STAFF_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"/accounts/2fa/reauthenticate/?next={quote(path, safe='')}"
    assert client.post("/staff/payments/", {}).status_code == 302

    response = client.post(
        "/accounts/2fa/reauthenticate/",
        {"code": pyotp.TOTP(STAFF_TOTP_SECRET).now(), "next": "/staff/payments/"},
    )
    assert response["Location"] == "/staff/payments/"
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 200, path


def test_a_wrong_code_keeps_staff_out(client: Client, staff: User) -> None:
    client.post(LOGIN, {"login": staff.email, "password": PASSWORD})
    right = pyotp.TOTP(STAFF_TOTP_SECRET)
    wrong = next(
        code
        for code in ("000000", "111111", "222222")
        if code not in {right.at(time.time() + step * 30) for step in (-1, 0, 1)}
    )

    client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert "_auth_user_id" not in client.session
    assert client.get("/staff/admin/").status_code == 302


def test_the_admins_password_change_is_allauths(client: Client, staff: User) -> None:
    client = staff_client(staff)

    response = client.get("/staff/admin/password_change/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")


def test_people_who_are_not_staff_still_cannot_reach_staff_pages(
    client: Client, mentee: User
) -> None:
    client.force_login(mentee)

    assert client.get("/staff/payments/").status_code == 404
    assert client.get("/staff/mentors/").status_code == 404
    assert client.get(ADMIN_LOGIN).status_code == 403
