"""The whole account journey in a real browser: sign up, verify, accept, log in, two-factor."""

import re
import time

import pyotp
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.conftest import PASSWORD, Outbox, Visitor, message_text
from mentor247.policies.domain import publish_version
from mentor247.policies.models import Policy, PolicyAcceptance, PolicyKind

EMAIL = "nina.newcomer@example.com"


def log_out(visitor: Visitor) -> None:
    visitor.submit("header form button[type=submit]", expect_path="/")
    assert visitor.page.locator("header").get_by_text("Log in").is_visible()


def test_account_journey_from_sign_up_to_two_factor_login(
    visitor: Visitor, smtp_outbox: Outbox
) -> None:
    page = visitor.page

    # Sign up, accepting the Terms and Privacy Policy.
    visitor.goto("/accounts/signup/")
    visitor.screenshot("signup-desktop")
    page.fill("input[name=name]", "Nina Newcomer")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.check("input[name=accept_policies]")
    visitor.submit(
        "form[action='/accounts/signup/'] button[type=submit]",
        expect_path="/accounts/confirm-email/",
    )
    user = User.objects.get(email=EMAIL)
    assert user.time_zone == "Europe/Madrid"  # reported by the browser
    accepted = PolicyAcceptance.objects.filter(user=user).select_related("version__policy")
    assert sorted(a.version.policy.kind for a in accepted) == ["privacy", "terms"]
    assert {a.ip_address for a in accepted} == {"127.0.0.1"}
    assert all("Chrome" in a.user_agent for a in accepted)

    # Verify the address from the link in the email.
    link = re.search(
        r"http://\S+/accounts/confirm-email/\S+/", message_text(smtp_outbox.wait_for(EMAIL))
    )
    assert link is not None
    page.goto(link.group(0))
    visitor.check()
    visitor.submit("main form button[type=submit]", expect_path="/")
    assert EmailAddress.objects.get(user=user).verified

    # A new Terms of Use takes effect: the next page asks for it, showing what changed.
    terms = Policy.objects.get(kind=PolicyKind.TERMS)
    current = terms.versions.get(number=1)
    publish_version(
        terms,
        text=current.text + "\n## 9. Gift cards\nGift cards never expire.\n",
        changes="Gift cards never expire.",
        effective_at=timezone.now(),
        published_by=None,
    )
    visitor.goto("/me/settings/")
    assert Visitor.path(page.url) == "/policies/review/"
    assert page.locator(".diff .added", has_text="## 9. Gift cards").count() == 1
    page.check("input[type=checkbox]")
    visitor.submit("button[value=accept]", expect_path="/me/settings/")
    assert PolicyAcceptance.objects.filter(user=user, version__number=2).count() == 1
    # Acceptance times are shown in the viewer's zone, named.
    assert "(Europe/Madrid)" in page.locator("table").inner_text()

    log_out(visitor)
    visitor.log_in(EMAIL, expect_path="/")

    # Turn on two-factor authentication with an authenticator app (here: pyotp).
    # Turning it on asks for the password again.
    visitor.goto("/accounts/2fa/totp/activate/")
    assert Visitor.path(page.url) == "/accounts/reauthenticate/"
    page.fill("input[name=password]", PASSWORD)
    visitor.submit("main form button[type=submit]", expect_path="/accounts/2fa/totp/activate/")
    secret = page.input_value("#authenticator_secret")
    totp = pyotp.TOTP(secret)
    page.fill("input[name=code]", totp.now())
    visitor.submit("main form button[type=submit]")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if Visitor.path(page.url) != "/":
        visitor.goto("/")
    log_out(visitor)

    # Log in again: the password is no longer enough; a wrong code is refused.
    visitor.log_in(EMAIL, expect_path="/accounts/2fa/authenticate/")
    page.fill("input[name=code]", "000000" if totp.now() != "000000" else "111111")
    visitor.submit("main form button[type=submit]", expect_path="/accounts/2fa/authenticate/")
    assert page.get_by_text("Incorrect code").is_visible()
    # The code of the next step: the one used to activate may not be used again.
    page.fill("input[name=code]", totp.at(time.time() + 30))
    visitor.submit("main form button[type=submit]", expect_path="/")
    assert page.locator("header").get_by_text("Your account").is_visible()
    visitor.screenshot("home-logged-in-desktop")
