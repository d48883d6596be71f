from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse

from mentor247.accounts.crypto import decrypt_secret, encrypt_secret
from mentor247.accounts.devices import known_device, remember_device
from mentor247.lib.mail import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        queue_email(self.render_mail(template_prefix, email, context))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Limits failed logins before any password is hashed: per address and per account,
        or, on a device that logged in to this account before, per address and per device."""
        device = known_device(request, credentials.get("email", ""))
        if device is None:
            super().pre_authenticate(request, **credentials)
            return
        key = f"{self._get_login_attempts_cache_key(request, **credentials)}:{device}"
        # Kept where allauth looks for it, so that a successful login gives the attempt back.
        self._login_failed_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_known_device", key=key
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

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
