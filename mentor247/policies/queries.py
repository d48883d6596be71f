"""Reads of policies: who must accept which policy, and what is in effect or waiting for
someone. The one place the platform decides it."""

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from mentor247.policies.models import EVERYONE_KINDS, MENTOR_KINDS, PolicyVersion

if TYPE_CHECKING:
    from mentor247.accounts.models import User


def required_kinds(user: "User") -> tuple[str, ...]:
    return MENTOR_KINDS if user.bound_by_conduct else EVERYONE_KINDS


def _in_effect(kinds: tuple[str, ...]) -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.in_effect().filter(policy__kind__in=kinds)


def _in_reading_order(
    versions: QuerySet[PolicyVersion], kinds: tuple[str, ...]
) -> list[PolicyVersion]:
    return sorted(versions.select_related("policy"), key=lambda v: kinds.index(v.policy.kind))


def versions_in_effect(kinds: tuple[str, ...]) -> list[PolicyVersion]:
    """The version in effect of each policy of `kinds`, in reading order."""
    return _in_reading_order(_in_effect(kinds), kinds)


def _pending(
    user: "User", kinds: tuple[str, ...] | None
) -> tuple[QuerySet[PolicyVersion], tuple[str, ...]]:
    kinds = kinds if kinds is not None else required_kinds(user)
    return _in_effect(kinds).exclude(acceptances__user=user), kinds


def pending_versions(user: "User", *, kinds: tuple[str, ...] | None = None) -> list[PolicyVersion]:
    """The versions in effect that `user` must accept and has not, in reading order."""
    versions, kinds = _pending(user, kinds)
    return _in_reading_order(versions, kinds)


def has_pending(user: "User", *, kinds: tuple[str, ...] | None = None) -> bool:
    """Whether `user` has a version in effect left to accept (the check of every request)."""
    versions, _kinds = _pending(user, kinds)
    return versions.exists()


def with_everything_accepted(users: "QuerySet[User]", kinds: tuple[str, ...]) -> "QuerySet[User]":
    """Those of `users` who accepted every version in effect of `kinds` (for lists, where
    calling pending_versions per person would cost a query each)."""
    in_effect = list(_in_effect(kinds).values_list("pk", flat=True))
    return users.annotate(
        accepted_in_effect=Count(
            "policy_acceptances", filter=Q(policy_acceptances__version__in=in_effect)
        )
    ).filter(accepted_in_effect=len(in_effect))
