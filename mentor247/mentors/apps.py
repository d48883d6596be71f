from typing import Any

from django.apps import AppConfig
from django.apps import apps as django_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentor247.mentors"
    label = "mentors"
    verbose_name = _("Mentors")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here: receivers import models, not yet loaded when apps.py is.
        from mentor247.mentors import receivers
        from mentor247.policies import signals as policy_signals

        policy_signals.version_published.connect(
            receivers.sweep_for_version, dispatch_uid="mentors-policy-version"
        )
        policy_signals.decisions_changed.connect(
            receivers.refresh_for_decisions, dispatch_uid="mentors-policy-decisions"
        )
        policy_signals.removal_completed.connect(
            receivers.remove_mentor, dispatch_uid="mentors-policy-removal"
        )

        # A mentor's name is part of their search document and whether their account is
        # active part of the listing rule, but both live on the account, which the admin and
        # allauth write as well as the domain.
        post_save.connect(
            refresh_saved_mentor, sender=settings.AUTH_USER_MODEL, dispatch_uid="mentor-account"
        )
        # After the policies app installed its first versions (it comes first in
        # INSTALLED_APPS): the directory is swept for them.
        post_migrate.connect(sweep_after_migrate, sender=self)


LISTED_ACCOUNT_FIELDS = frozenset({"name", "is_active"})


def refresh_saved_mentor(
    sender: Any, instance: Any, update_fields: frozenset[str] | None = None, **kwargs: Any
) -> None:
    if update_fields is not None and not LISTED_ACCOUNT_FIELDS & update_fields:
        return
    # Imported here: listing imports models, not yet loaded when apps.py is.
    from mentor247.mentors.listing import refresh_user_listing

    refresh_user_listing([instance.pk])


def sweep_after_migrate(using: str = DEFAULT_DB_ALIAS, apps: Any = None, **kwargs: Any) -> None:
    if using != DEFAULT_DB_ALIAS:
        return
    try:
        # Not when the migrations were rolled back to before the directory had sweeps.
        (apps or django_apps).get_model("mentors", "ListingSweep")
    except LookupError:
        return
    # Imported here: listing imports models, not yet loaded when apps.py is.
    from mentor247.mentors.listing import sweep_listing

    # Migrations run before the platform serves: no refresh can be under way.
    sweep_listing(settle=False)
