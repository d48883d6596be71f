from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentor247.mentors"
    label = "mentors"
    verbose_name = _("Mentors")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        # A mentor's name is part of their search document, but lives on the account.
        post_save.connect(
            reindex_renamed_mentor, sender=settings.AUTH_USER_MODEL, dispatch_uid="mentor-name"
        )


def reindex_renamed_mentor(
    sender: Any, instance: Any, update_fields: frozenset[str] | None = None, **kwargs: Any
) -> None:
    if update_fields is not None and "name" not in update_fields:
        return
    from mentor247.mentors.models import MentorProfile
    from mentor247.mentors.search import index_profiles

    index_profiles(MentorProfile.objects.filter(user=instance).values_list("pk", flat=True))
