from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from mentor247.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind login_required (or mentor_required)."""

    user: "User"
