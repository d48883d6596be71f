"""The check every mentor view, API endpoint and WebSocket consumer goes through."""

import enum
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from mentor247.policies.queries import has_pending

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from mentor247.accounts.models import User


class MentorAccess(enum.Enum):
    ALLOWED = "allowed"
    NOT_A_MENTOR = "not_a_mentor"
    POLICIES_PENDING = "policies_pending"


def mentor_access(user: "User | AnonymousUser") -> MentorAccess:
    """A mentor may act only while every policy in effect is accepted."""
    if not user.is_authenticated or not user.is_active or not user.is_mentor:
        return MentorAccess.NOT_A_MENTOR
    if has_pending(user):
        return MentorAccess.POLICIES_PENDING
    return MentorAccess.ALLOWED


def review_url(next_path: str) -> str:
    return f"{reverse('policies:review')}?{urlencode({'next': next_path})}"


MENTOR_PREFIX = "/mentor/"
# The mentor's money pages guard themselves (payments.views): a suspended or removed mentor
# still sees the balance held for them and their statements.
MENTOR_MONEY_PREFIX = "/mentor/earnings/"


def mentor_gate(request: HttpRequest) -> HttpResponse | None:
    """What stops a request for a mentor page: None when it may go on."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = mentor_access(request.user)
    if access is MentorAccess.NOT_A_MENTOR:
        raise Http404
    if access is MentorAccess.POLICIES_PENDING:
        return HttpResponseRedirect(review_url(request.get_full_path()))
    return None


def mentor_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Lets mentors through; others get 404, and mentors with policies to accept go to review."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "mentor_checked", False):  # by the middleware, moments ago
            return view(request, *args, **kwargs)
        return mentor_gate(request) or view(request, *args, **kwargs)

    wrapper.mentor_only = True  # type: ignore[attr-defined]  # lets tests find every mentor URL
    return wrapper


def mentor_money_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """For the mentor's money pages (under MENTOR_MONEY_PREFIX): lets approved mentors
    through as mentor_required does, and anyone else logged in on to the view, which shows
    a suspended or removed mentor the money held for them and 404s everyone else."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if mentor_access(request.user) is not MentorAccess.NOT_A_MENTOR and (
            stop := mentor_gate(request)
        ):
            return stop
        return view(request, *args, **kwargs)

    wrapper.mentor_only = True  # type: ignore[attr-defined]  # lets tests find every mentor URL
    return wrapper
