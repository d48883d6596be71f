"""Who is calling the API: a personal token (`Authorization: Bearer m247_…`) or the login
session of the browser, with Django's CSRF check for the latter.

A request that presents a token is judged by the token alone: a revoked or unknown token is
refused with 401 even if a login session came along with it.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from mentor247.accounts.models import User
from mentor247.api.domain import note_token_use, token_for_secret


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> User | None:
        header = request.headers.get(self.header, "")
        if not header:
            return None
        scheme, _space, secret = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError(
                message=_("Send the token as “Authorization: Bearer <token>”.")
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = token_for_secret(token)
        if found is None:
            raise AuthenticationError(
                message=_("This token is not valid: it was revoked, or it never existed.")
            )
        note_token_use(found)
        return found.user


class SessionAuth(APIKeyCookie):
    """ninja's django_auth with the checks in the order a caller can act on: without a login
    session, 401 (not a CSRF failure); with one, an unsafe method needs the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        if self.csrf and check_csrf(request) is not None:
            raise HttpError(
                403,
                _(
                    "The CSRF check failed: send the value of the csrftoken cookie in the "
                    "X-CSRFToken header."
                ),
            )
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
# The token first: when both come, the one the caller chose explicitly decides.
TOKEN_OR_SESSION = [token_auth, session_auth]
