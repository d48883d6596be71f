from django.db.models import Count, Q, QuerySet

from mentor247.accounts.models import User
from mentor247.policies.models import MENTOR_KINDS, PolicyVersion, RemovalRequest


def listed_mentors() -> QuerySet[User]:
    """Mentors the public may see: active, with every policy in effect accepted, and no open
    request to be removed."""
    in_effect = list(
        PolicyVersion.objects.in_effect()
        .filter(policy__kind__in=MENTOR_KINDS)
        .values_list("pk", flat=True)
    )
    return (
        User.objects.filter(is_mentor=True, is_active=True)
        .exclude(removal_requests__status=RemovalRequest.Status.OPEN)
        .annotate(
            accepted=Count(
                "policy_acceptances", filter=Q(policy_acceptances__version__in=in_effect)
            )
        )
        .filter(accepted=len(in_effect))
        .order_by("name", "pk")
    )
