"""The writers of a person's own account details."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentor247.accounts.models import User
from mentor247.lib.timezones import validate_time_zone
from mentor247.mentors.languages import Proficiency
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
