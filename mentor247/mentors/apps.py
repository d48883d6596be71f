from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentor247.mentors"
    label = "mentors"
    verbose_name = _("Mentors")
    default_auto_field = "django.db.models.BigAutoField"
