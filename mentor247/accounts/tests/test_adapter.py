"""The account adapter's limit on failed logins from a known device, and the parts of allauth it
leans on that allauth does not publish: pinned to the version they were read in, so an upgrade
stops here and says what to read again."""

from importlib.metadata import version

import pytest
from allauth.account.adapter import DefaultAccountAdapter
from django.test import Client, RequestFactory

from mentor247.accounts import adapter
from mentor247.accounts.models import User
from mentor247.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
RECHECK = (
    "Read allauth.core.internal.ratelimit.consume again (one attempt counted per rate of the "
    "action in ACCOUNT_RATE_LIMITS, None over a rate, else a usage whose rollback() gives the "
    "attempt back) and DefaultAccountAdapter.authenticate (calls pre_authenticate first), then "
    "set adapter.ALLAUTH_VERSION."
)


def log_in(client: Client, email: str, password: str) -> int:
    response = client.post(LOGIN, {"login": email, "password": password})
    client.post("/accounts/logout/")
    return response.status_code


def test_allauth_is_the_version_the_adapter_was_written_for() -> None:
    installed = version("django-allauth")
    assert installed == adapter.ALLAUTH_VERSION, (
        f"django-allauth is {installed}; the account adapter uses its internals as they were "
        f"in {adapter.ALLAUTH_VERSION}. {RECHECK}"
    )


def test_allauth_counts_an_attempt_and_gives_it_back(settings: object) -> None:
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="192.0.2.1")
    # The known-device action's rates: 10 a minute per address, 5 in 5 minutes per key.
    usages = [adapter.count_attempt(request, "login_failed_known_device", "k") for _ in range(5)]
    assert all(usages), RECHECK
    assert adapter.count_attempt(request, "login_failed_known_device", "k") is None, RECHECK
    usages[0].rollback()  # type: ignore[union-attr]
    assert adapter.count_attempt(request, "login_failed_known_device", "k") is not None, RECHECK
    # Another key has its own count.
    assert adapter.count_attempt(request, "login_failed_known_device", "l") is not None, RECHECK


def test_allauth_authenticates_through_pre_authenticate(mentee: User) -> None:
    calls: list[str] = []

    class Watching(DefaultAccountAdapter):
        def pre_authenticate(self, request: object, **credentials: str) -> None:
            calls.append(credentials["email"])

    request = RequestFactory().post(LOGIN)
    user = Watching(request).authenticate(request, email=mentee.email, password=PASSWORD)
    assert (user, calls) == (mentee, [mentee.email]), RECHECK


def test_logins_that_succeed_on_a_known_device_do_not_count_as_failures(mentee: User) -> None:
    owner = Client(REMOTE_ADDR="192.0.2.10")
    assert log_in(owner, mentee.email, PASSWORD) == 302
    for _ in range(4):
        assert log_in(owner, mentee.email, "not-the-password") == 200
    # One attempt is left of the five; each success gives its attempt back.
    for _ in range(3):
        assert log_in(owner, mentee.email, PASSWORD) == 302
    assert log_in(owner, mentee.email, "not-the-password") == 200
    refused = owner.post(LOGIN, {"login": mentee.email, "password": PASSWORD})
    assert "Too many failed login attempts" in refused.content.decode()


def test_failures_on_a_known_device_count_for_that_account_alone(
    mentee: User, stranger: User
) -> None:
    shared = Client(REMOTE_ADDR="192.0.2.10")
    assert log_in(shared, mentee.email, PASSWORD) == 302
    for _ in range(5):
        assert log_in(shared, mentee.email, "not-the-password") == 200
    assert log_in(shared, mentee.email, PASSWORD) == 200
    assert log_in(shared, stranger.email, PASSWORD) == 302
