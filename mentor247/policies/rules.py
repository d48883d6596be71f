"""Who must accept which policy. The one place the platform decides it."""

from typing import TYPE_CHECKING

from mentor247.policies.models import EVERYONE_KINDS, MENTOR_KINDS, PolicyVersion

if TYPE_CHECKING:
    from mentor247.accounts.models import User


def required_kinds(user: "User") -> tuple[str, ...]:
    return MENTOR_KINDS if user.is_mentor else EVERYONE_KINDS


def pending_versions(user: "User", *, kinds: tuple[str, ...] | None = None) -> list[PolicyVersion]:
    """The versions in effect that `user` must accept and has not, in reading order."""
    kinds = kinds if kinds is not None else required_kinds(user)
    versions = (
        PolicyVersion.objects.in_effect()
        .filter(policy__kind__in=kinds)
        .exclude(acceptances__user=user)
        .select_related("policy")
    )
    return sorted(versions, key=lambda version: MENTOR_KINDS.index(version.policy.kind))
