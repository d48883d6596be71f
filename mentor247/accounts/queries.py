from django.db.models import QuerySet

from mentor247.accounts.models import User
from mentor247.policies.models import MENTOR_KINDS, RemovalRequest
from mentor247.policies.rules import with_everything_accepted


def listed_mentors() -> QuerySet[User]:
    """Mentors the public may see: active, with every policy in effect accepted, and no open
    request to be removed."""
    mentors = User.objects.filter(is_mentor=True, is_active=True).exclude(
        removal_requests__status=RemovalRequest.Status.OPEN
    )
    return with_everything_accepted(mentors, MENTOR_KINDS).order_by("name", "pk")
