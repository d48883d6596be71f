"""How mentors answer what policies tell them (policies/signals.py), inside the sender's
transaction."""

from typing import Any

from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.mentors.listing import refresh_user_listing, sweep_when_in_effect
from mentor247.mentors.models import MentorProfile
from mentor247.policies.models import PolicyVersion


def sweep_for_version(sender: Any, version: PolicyVersion, **kwargs: Any) -> None:
    sweep_when_in_effect(version)


def refresh_for_decisions(sender: Any, user_ids: list[int], **kwargs: Any) -> None:
    refresh_user_listing(user_ids)


def remove_mentor(sender: Any, user: User, by: User, **kwargs: Any) -> None:
    MentorProfile.objects.filter(user=user).exclude(status=MentorProfile.Status.REMOVED).update(
        status=MentorProfile.Status.REMOVED, decided_at=timezone.now(), decided_by=by
    )
