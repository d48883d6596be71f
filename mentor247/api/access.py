"""The accessors of the API's own-data endpoints: each returns the object or raises."""

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from mentor247.accounts.models import User
from mentor247.mentors.models import MentorProfile, Offering
from mentor247.policies.queries import has_pending


def caller(request: HttpRequest) -> User:
    """The person ninja's authentication found for this request."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def refuse_pending(user: User, *, kinds: tuple[str, ...] | None = None) -> None:
    """403 while `user` has a policy in effect (of `kinds`, else the ones they must accept)
    left to accept, as they would meet on any page: a token does not pass the middleware
    that sends browsers to the review."""
    if has_pending(user, kinds=kinds):
        raise HttpError(
            403,
            _("Accept the policies in effect first, at %(url)s.")
            % {"url": reverse("policies:review")},
        )


def access_own_profile(user: User) -> MentorProfile:
    """`user`'s mentor profile, unless removed: Http404 without one. A person with a policy in
    effect left to accept gets 403 until they accept it, as they would on any page (a token
    does not pass the middleware that sends browsers to the review)."""
    profile = (
        MentorProfile.objects.filter(user=user)
        .exclude(status=MentorProfile.Status.REMOVED)
        .select_related("user")
        .first()
    )
    if profile is None:
        raise Http404
    refuse_pending(user)
    return profile


def access_own_offering(profile: MentorProfile, offering_id: int) -> Offering:
    """An offering of `profile`, current or retired; Http404 for anyone else's, or none."""
    offering = Offering.objects.filter(pk=offering_id, profile=profile).first()
    if offering is None:
        raise Http404
    offering.profile = profile
    return offering
