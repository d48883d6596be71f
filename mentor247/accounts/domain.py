"""The writers of a person's own account details, and of the audit log of staff actions."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.models import AuditEntry, User
from mentor247.lib.languages import Proficiency
from mentor247.lib.text import validate_person_name
from mentor247.lib.timezones import validate_time_zone
from mentor247.policies.domain import accept_versions
from mentor247.policies.models import PolicyVersion


class Unset:
    """Marks an argument not given, where None is a value."""


UNSET = Unset()


def update_preferences(
    user: User,
    *,
    name: str | None = None,
    time_zone: str | None = None,
    language: str | None = None,
    english_level: int | Unset | None = UNSET,
) -> None:
    """Changes what is given of `user`'s name, time zone, language and level of English
    (None: not stated)."""
    changes: dict[str, object] = {}
    if name is not None:
        validate_person_name(name)
        changes["name"] = name.strip()
    if time_zone is not None:
        validate_time_zone(time_zone)
        changes["time_zone"] = time_zone
    if language is not None:
        if language not in dict(settings.LANGUAGES):
            raise ValidationError(_("We do not offer that language."), code="language")
        changes["language"] = language
    if not isinstance(english_level, Unset):
        if english_level is not None and english_level not in Proficiency.values:
            raise ValidationError(_("Choose a level from the list."), code="english_level")
        changes["english_level"] = english_level
    for field, value in changes.items():
        setattr(user, field, value)
    user.save(update_fields=list(changes))


def complete_sign_up(
    user: User,
    *,
    name: str,
    time_zone: str,
    language: str,
    accepted: list[PolicyVersion],
    ip_address: str | None,
    user_agent: str,
) -> None:
    """Stores what the sign-up form adds to a new account: details and accepted policies."""
    with transaction.atomic():
        update_preferences(user, name=name, time_zone=time_zone, language=language)
        accept_versions(user, accepted, ip_address=ip_address, user_agent=user_agent)


def record_staff_action(
    actor: User, action: str, subject: str, *, reason: str, **details: Any
) -> AuditEntry:
    """Records a staff action in the audit log. Call it inside the action's own transaction,
    so the action and its record are written together or not at all."""
    if not actor.is_staff:
        raise PermissionError(f"{actor} is not staff")
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        subject=subject,
        reason=reason,
        details=details,
        at=timezone.now(),
    )
