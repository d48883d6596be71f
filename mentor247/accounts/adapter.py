from typing import Any, Protocol

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest, HttpResponse

from mentor247.accounts.crypto import decrypt_secret, encrypt_secret
from mentor247.accounts.devices import account_digest, known_device, remember_device
from mentor247.accounts.models import User
from mentor247.lib.mail import queue_email, speaking_to

# The version of django-allauth whose internals `count_attempt` was read against; a test
# (accounts/tests/test_adapter.py) fails on any other version until they are read again.
ALLAUTH_VERSION = "65.21.1"


class Attempt(Protocol):
    def rollback(self) -> None: ...


def count_attempt(request: HttpRequest, action: str, key: str) -> Attempt | None:
    """Counts one attempt at `action` (its rates from ACCOUNT_RATE_LIMITS) for `key` and the
    request's address; None when a rate is used up, else the attempt, which can be given back.

    allauth publishes no way to give an attempt back (`allauth.core.ratelimit.consume` answers
    yes or no), so this is the one place that uses its internal module."""
    # Imported here, in its one use, so that nothing else reaches allauth's internals through
    # this module; test_adapter pins the allauth version it was read in.
    from allauth.core.internal import ratelimit

    usage: Attempt | None = ratelimit.consume(
        request, app="allauth.account", action=action, key=key
    )
    return usage


def owner_of(email: str) -> User | None:
    """The person with `email` among their addresses, verified or not."""
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        user: User = address.user
        return user
    return User.objects.filter(email=email.lower()).first()


class AccountAdapter(DefaultAccountAdapter):
    _device_attempt: Attempt | None = None

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's email, with what allauth gives its templates, in the language and time
        zone of the person `email` belongs to (those of the request for an unknown address),
        delivered in the background."""
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        with speaking_to(owner_of(email)):
            message = self.render_mail(template_prefix, email, context)
        queue_email(message)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Limits failed logins before any password is hashed: per address and per account,
        or, on a device that logged in to this account before, per address and per device."""
        email = credentials.get("email", "")
        device = known_device(request, email)
        if device is None:
            super().pre_authenticate(request, **credentials)
            return
        key = f"{account_digest(email)}:{device}"
        self._device_attempt = count_attempt(request, "login_failed_known_device", key)
        if self._device_attempt is None:
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        """allauth's authentication (which calls `pre_authenticate` first); a login that
        succeeds on a known device gives its attempt back, as allauth does for the others."""
        user: AbstractBaseUser | None = super().authenticate(request, **credentials)
        if user is not None and self._device_attempt is not None:
            self._device_attempt.rollback()
        return user

    def post_login(
        self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
    ) -> HttpResponse:
        response: HttpResponse = super().post_login(request, user, **kwargs)
        remember_device(request, response, user.get_username())
        return response


class MFAAdapter(DefaultMFAAdapter):
    """allauth's two-factor authentication, its secrets encrypted in the database
    (accounts.crypto): a copy of the database, or a look at the admin, yields no code."""

    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)
