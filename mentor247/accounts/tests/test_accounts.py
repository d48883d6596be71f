import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.conftest import PASSWORD, make_user
from mentor247.policies.models import PolicyAcceptance, PolicyVersion

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"


def signup_form(**changes: str) -> dict[str, str]:
    versions = PolicyVersion.objects.in_effect().filter(policy__kind__in=["terms", "privacy"])
    ids = ",".join(str(v.pk) for v in sorted(versions, key=lambda v: v.policy.kind != "terms"))
    form = {
        "name": "Olga Owl",
        "email": "olga@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_policies": "on",
        "policy_versions": ids,
        "time_zone": "America/Sao_Paulo",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value != "<omit>"}


def test_sign_up_creates_the_account_and_records_the_accepted_policies(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_form())
    assert response.status_code == 302
    user = User.objects.get(email="olga@example.com")
    assert (user.name, user.time_zone, user.language) == ("Olga Owl", "America/Sao_Paulo", "en")
    kinds = PolicyAcceptance.objects.filter(user=user).values_list(
        "version__policy__kind", flat=True
    )
    assert sorted(kinds) == ["privacy", "terms"]
    assert [m.to for m in mail.outbox] == [["olga@example.com"]]
    assert not EmailAddress.objects.get(user=user).verified


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"password1": "password", "password2": "password"}, "This password is too common."),
        ({"password1": "short", "password2": "short"}, "at least 10 characters"),
        ({"password2": "something-else-entirely"}, "You must type the same password each time."),
        ({"accept_policies": "<omit>"}, "accept the Terms of Use and Privacy Policy"),
        ({"policy_versions": "1,999"}, "changed while you were signing up"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_sign_up_with_bad_input_explains_and_creates_nothing(
    client: Client, changes: dict[str, str], message: str
) -> None:
    response = client.post(SIGNUP, signup_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not PolicyAcceptance.objects.exists()
    assert mail.outbox == []


def test_an_unknown_time_zone_from_the_browser_falls_back_to_utc(client: Client) -> None:
    client.post(SIGNUP, signup_form(time_zone="Mars/Olympus_Mons"))
    assert User.objects.get().time_zone == "UTC"


def test_sign_up_does_not_reveal_that_an_email_is_registered(
    client: Client, mentee: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(SIGNUP, signup_form(email="brand.new@example.com"))
        taken = Client().post(SIGNUP, signup_form(email=mentee.email.upper()))
    assert (fresh.status_code, fresh["Location"]) == (taken.status_code, taken["Location"])
    assert User.objects.filter(email__iexact=mentee.email).count() == 1
    # The owner of the address learns that someone tried, by email.
    assert sorted(m.to[0] for m in mail.outbox) == ["brand.new@example.com", mentee.email]


def test_login_failure_and_password_reset_say_the_same_for_unknown_addresses(
    client: Client, mentee: User
) -> None:
    wrong = client.post(LOGIN, {"login": mentee.email, "password": "wrong-password-1"})
    unknown = client.post(LOGIN, {"login": "nobody@example.com", "password": "wrong-password-1"})
    assert wrong.status_code == unknown.status_code == 200
    error = "The email address and/or password you specified are not correct."
    assert error in wrong.content.decode() and error in unknown.content.decode()
    reset = "/accounts/password/reset/"
    known = client.post(reset, {"email": mentee.email})
    nobody = client.post(reset, {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (nobody.status_code, nobody["Location"])


def failed_logins(client: Client, email: str, count: int) -> None:
    for _ in range(count):
        response = client.post(LOGIN, {"login": email, "password": "not-the-password"})
        assert response.status_code == 200


def test_failed_logins_are_limited_per_account_with_a_cool_off(
    client: Client, mentee: User, cache_backend: str
) -> None:
    failed_logins(client, mentee.email, 5)
    # Even the right password is refused until the cool-off ends...
    response = client.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # ...which is never for good.
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = client.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(mentee.pk)


def test_failed_logins_are_limited_per_address(
    client: Client, mentee: User, cache_backend: str
) -> None:
    for number in range(10):
        failed_logins(client, f"guess{number}@example.com", 1)
    response = client.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert client.post(LOGIN, {"login": mentee.email, "password": PASSWORD}).status_code == 302


def test_failed_logins_from_another_address_count_against_the_account(mentee: User) -> None:
    for number in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{number + 1}").post(
            LOGIN, {"login": mentee.email, "password": "not-the-password"}
        )
    response = Client(REMOTE_ADDR="10.0.0.99").post(
        LOGIN, {"login": mentee.email, "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/email/", {"action_add": "", "email": "mia.new@example.com"}),
        ("/accounts/2fa/totp/activate/", None),
    ],
)
def test_changing_email_or_two_factor_asks_for_the_password_again(
    client: Client, mentee: User, path: str, data: dict[str, str] | None
) -> None:
    assert client.post(LOGIN, {"login": mentee.email, "password": PASSWORD}).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        response = client.get(path) if data is None else client.post(path, data)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not EmailAddress.objects.filter(email="mia.new@example.com").exists()


def test_password_change_needs_the_current_password(client: Client, mentee: User) -> None:
    client.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "wrong-one-entirely",
            "password1": "Another-long-pass-99",
            "password2": "Another-long-pass-99",
        },
    )
    assert "Please type your current password." in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.check_password(PASSWORD)


def test_sessions_end_when_idle(client: Client, mentee: User) -> None:
    client.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
    start = timezone.now()
    with time_machine.travel(start + timedelta(hours=11)):
        assert client.get(reverse("accounts:preferences")).status_code == 200
    with time_machine.travel(start + timedelta(hours=11 + 13)):
        response = client.get(reverse("accounts:preferences"))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_sessions_end_after_an_absolute_time_even_when_active(client: Client, mentee: User) -> None:
    client.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
    start = timezone.now()
    for hours in range(10, 14 * 24, 10):
        with time_machine.travel(start + timedelta(hours=hours)):
            assert client.get(reverse("accounts:preferences")).status_code == 200
    with time_machine.travel(start + timedelta(days=14, hours=1)):
        assert client.get(reverse("accounts:preferences")).status_code == 302


def test_logout_ends_the_session_on_the_server(client: Client, mentee: User) -> None:
    client.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    # A copy of the old cookie is worth nothing.
    assert key is not None
    stolen = Client()
    stolen.cookies["sessionid"] = key
    assert stolen.get(reverse("accounts:preferences")).status_code == 302


def test_preferences_change_zone_and_language_and_reject_unknown_zones(
    client: Client, mentee: User
) -> None:
    client.force_login(mentee)
    url = reverse("accounts:preferences")
    bad = client.post(url, {"name": "Mia", "time_zone": "Nowhere/Town", "language": "en"})
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()
    mentee.refresh_from_db()
    assert mentee.time_zone == "UTC"
    client.post(url, {"name": "Mia M", "time_zone": "Asia/Tokyo", "language": "es"})
    mentee.refresh_from_db()
    assert (mentee.name, mentee.time_zone, mentee.language) == ("Mia M", "Asia/Tokyo", "es")
    page = client.get(url)
    assert page["Content-Language"] == "es"
    assert "(Asia/Tokyo)" in page.content.decode()


def test_a_person_states_their_level_of_english_or_leaves_it_unsaid(
    client: Client, mentee: User
) -> None:
    client.force_login(mentee)
    url = reverse("accounts:preferences")
    base = {"name": "Mia", "time_zone": "UTC", "language": "en"}
    assert client.post(url, {**base, "english_level": "9"}).status_code == 400
    mentee.refresh_from_db()
    assert mentee.english_level is None
    assert client.post(url, {**base, "english_level": "1"}).status_code == 302
    mentee.refresh_from_db()
    assert mentee.english_level == 1
    assert client.post(url, {**base, "english_level": ""}).status_code == 302
    mentee.refresh_from_db()
    assert mentee.english_level is None


def test_every_time_is_shown_in_the_viewers_zone_with_the_zone_named(client: Client) -> None:
    user = make_user("zoe@example.com")
    user.time_zone = "Asia/Kolkata"
    user.save()
    acceptance = PolicyAcceptance.objects.filter(user=user).first()
    assert acceptance is not None
    local = timezone.localtime(acceptance.accepted_at, timezone.get_fixed_timezone(330))
    client.force_login(user)
    page = client.get(reverse("accounts:preferences")).content.decode()
    assert f"{local:%H:%M} (Asia/Kolkata)" in page


def test_visitors_see_times_in_the_zone_their_browser_reported(client: Client) -> None:
    client.cookies["time_zone"] = "Pacific/Auckland"
    assert "Times are shown in Pacific/Auckland." in client.get("/").content.decode()
    client.cookies["time_zone"] = "<script>"
    assert "Times are shown in UTC." in client.get("/").content.decode()


def test_the_language_switcher_remembers_the_choice_on_the_account(
    client: Client, mentee: User
) -> None:
    client.force_login(mentee)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/me/settings/"})
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.language == "es"
    assert "Tu cuenta" in client.get("/me/settings/").content.decode()
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    mentee.refresh_from_db()
    assert mentee.language == "es"


def test_visitors_switch_language_with_a_cookie(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get("/")
    assert page["Content-Language"] == "es"
    assert "Crea tu cuenta" in page.content.decode()


def test_demo_data_is_idempotent(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    from mentor247.demo.seed import DEMO_PEOPLE, GENERATED_MENTORS
    from mentor247.mentors.queries import listed_profiles

    call_command("seed_demo")
    call_command("seed_demo")
    people = len(DEMO_PEOPLE) + GENERATED_MENTORS
    assert User.objects.count() == people
    assert User.objects.filter(is_staff=True).count() == 1
    assert EmailAddress.objects.filter(verified=True).count() == people
    assert listed_profiles().count() == 3 + GENERATED_MENTORS
    assert "amara@mentor247.test" in capsys.readouterr().out


def link_in(message: Any, fragment: str) -> str:
    found = re.search(rf"http://testserver({re.escape(fragment)}\S+)", message.body)
    assert found is not None, message.body
    return found.group(1)


def test_password_reset_by_emailed_link(
    client: Client, mentee: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": mentee.email})
    [message] = mail.outbox
    form_url = client.get(link_in(message, "/accounts/password/reset/key/"))["Location"]
    new = "Quite-another-passphrase-42"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.check_password(new)


def test_changing_email_sends_a_verification_to_the_new_address(
    client: Client, mentee: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
    change = {"action_add": "", "email": "mia@new.example"}
    response = client.post("/accounts/email/", change)
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/email/", change)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["mia@new.example"]
    confirm = link_in(message, "/accounts/confirm-email/")
    assert client.post(confirm).status_code == 302
    mentee.refresh_from_db()
    assert mentee.email == "mia@new.example"
    assert EmailAddress.objects.get(user=mentee).email == "mia@new.example"


def test_changing_to_a_registered_email_does_not_reveal_it(
    client: Client, mentee: User, stranger: User, django_capture_on_commit_callbacks: Any
) -> None:
    client.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post("/accounts/email/", {"action_add": "", "email": stranger.email})
        fresh = client.post("/accounts/email/", {"action_add": "", "email": "free@new.example"})
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert "already" not in client.get("/accounts/email/").content.decode().lower()
    stranger.refresh_from_db()
    assert (
        EmailAddress.objects.filter(email=stranger.email).values_list("user", flat=True).get()
        == stranger.pk
    )


def test_after_a_stale_sign_up_form_the_page_shown_again_can_be_sent(client: Client) -> None:
    stale = client.post(SIGNUP, signup_form(policy_versions="1,999"))
    assert stale.status_code == 200
    fresh = re.search(r'name="policy_versions" value="([^"]*)"', stale.content.decode())
    assert fresh is not None
    response = client.post(SIGNUP, signup_form(policy_versions=fresh.group(1)))
    assert response.status_code == 302
    assert User.objects.filter(email="olga@example.com").exists()


def test_an_attack_from_elsewhere_never_locks_the_owner_out_of_a_known_device(
    mentee: User, cache_backend: str
) -> None:
    owner = Client(REMOTE_ADDR="192.0.2.10")
    assert owner.post(LOGIN, {"login": mentee.email, "password": PASSWORD}).status_code == 302
    assert "known_device" in owner.cookies
    owner.post("/accounts/logout/")

    # An attacker fails on purpose from many addresses, keeping the account over its limit.
    for number in range(8):
        Client(REMOTE_ADDR=f"198.51.100.{number}").post(
            LOGIN, {"login": mentee.email, "password": "not-the-password"}
        )
    new_device = Client(REMOTE_ADDR="192.0.2.10")
    refused = new_device.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
    assert "Too many failed login attempts" in refused.content.decode()

    # The owner's own browser still gets in, while the attack goes on...
    assert owner.post(LOGIN, {"login": mentee.email, "password": PASSWORD}).status_code == 302
    owner.post("/accounts/logout/")
    # ...and its own failures are still limited.
    failed_logins(owner, mentee.email, 5)
    refused = owner.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
    assert "Too many failed login attempts" in refused.content.decode()


def test_a_forged_or_foreign_device_cookie_counts_for_nothing(mentee: User, stranger: User) -> None:
    other = Client()
    other.post(LOGIN, {"login": stranger.email, "password": PASSWORD})
    cookie = other.cookies["known_device"].value
    for value in [cookie, cookie[:-2] + "xx"]:  # another account's; tampered with
        attacker = Client()
        attacker.cookies["known_device"] = value
        failed_logins(attacker, mentee.email, 5)
        response = attacker.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
        assert "Too many failed login attempts" in response.content.decode()
        cache.clear()


def test_the_language_switcher_names_each_language_in_itself(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    page = client.get("/").content.decode()
    assert '<option value="en" lang="en">English</option>' in page
    assert '<option value="es" selected lang="es">español</option>' in page
