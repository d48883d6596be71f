"""Reads of tech checks."""

from mentor247.accounts.models import User
from mentor247.techcheck.models import TechCheck


def last_check(user: User) -> TechCheck | None:
    """The person's latest tech check, if any."""
    return TechCheck.objects.filter(user=user).order_by("-checked_at", "-id").first()


def recent_checks(user: User, *, limit: int = 5) -> list[TechCheck]:
    """The person's latest checks, newest first."""
    return list(TechCheck.objects.filter(user=user).order_by("-checked_at", "-id")[:limit])
