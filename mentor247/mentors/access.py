"""Who may see which mentor object: one accessor per object type, each raising Http404."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from mentor247.accounts.models import User
from mentor247.mentors.models import MentorProfile, Offering


def access_own_profile(user: User) -> MentorProfile:
    """The mentor's own approved profile (the mentor pages are for approved mentors)."""
    profile = MentorProfile.objects.filter(user=user, status=MentorProfile.Status.APPROVED).first()
    if profile is None:
        raise Http404
    return profile


def access_own_offering(user: User, offering_id: int) -> Offering:
    """A current offering of `user`'s own profile; anyone else's, or a retired one, is 404."""
    offering = (
        Offering.objects.current()
        .select_related("profile")
        .filter(pk=offering_id, profile__user=user, profile__status=MentorProfile.Status.APPROVED)
        .first()
    )
    if offering is None:
        raise Http404
    return offering


def access_profile_as_staff(user: User, profile_id: int) -> MentorProfile:
    if not (user.is_active and user.is_staff):
        raise Http404
    profile = MentorProfile.objects.select_related("user", "decided_by").filter(pk=profile_id)
    found = profile.first()
    if found is None:
        raise Http404
    return found


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff pages: visitors log in first; anyone else than active staff gets 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
