"""Who is calling the API: a personal token (`Authorization: Bearer m247_…`) or the login
session of the browser, with Django's CSRF check for the latter.

A request that presents a token is judged by the token alone: a revoked, expired or unknown
token is refused with 401, and one without the scope the operation needs with 403, even if a
login session came along with it. The login session may do everything its person may.

Each operation names what it needs with one of READ, BOOK or MANAGE. In the OpenAPI
description each scope is a bearer scheme of its own (ReadScope, BookScope, ManageScope),
which is how the documentation shows which scope each operation takes.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from mentor247.accounts.models import User
from mentor247.api.domain import note_token_use, token_for_secret
from mentor247.api.models import Scope


class TokenAuth(HttpBearer):
    """A personal token that holds `scope`."""

    scope: ClassVar[str] = ""

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
        if found.is_expired:
            raise AuthenticationError(
                message=_("This token expired on %(date)s (UTC). Make a new one at %(url)s.")
                % {
                    "date": date_format(found.expires_at, "DATETIME_FORMAT", use_l10n=False),
                    "url": reverse("tokens:list"),
                }
            )
        if self.scope not in found.scopes:
            raise HttpError(
                403,
                _(
                    "This token may not do this: it needs the scope “%(scope)s” (%(label)s). "
                    "Make a token with that scope at %(url)s."
                )
                % {
                    "scope": self.scope,
                    "label": Scope(self.scope).label,
                    "url": reverse("tokens:list"),
                },
            )
        note_token_use(found)
        return found.user


class ReadScope(TokenAuth):
    scope = Scope.READ
    openapi_description = (
        "A personal API token with the scope `read`: reads of your own profile, offerings, "
        "availability and bookings."
    )


class BookScope(TokenAuth):
    scope = Scope.BOOK
    openapi_description = (
        "A personal API token with the scope `book`: booking, moving and cancelling sessions."
    )


class ManageScope(TokenAuth):
    scope = Scope.MANAGE
    openapi_description = (
        "A personal API token with the scope `manage`: changes to your mentor profile, "
        "offerings and availability."
    )


class SessionAuth(APIKeyCookie):
    """ninja's django_auth with the checks in the order a caller can act on: without a login
    session, 401 (not a CSRF failure); with one, an unsafe method needs the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The browser's login session, which may do everything (with the CSRF token in "
        "X-CSRFToken for writes)."
    )

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


session_auth = SessionAuth(csrf=True)
# The token first: when both come, the one the caller chose explicitly decides.
READ = [ReadScope(), session_auth]
BOOK = [BookScope(), session_auth]
MANAGE = [ManageScope(), session_auth]
