from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechCheckConfig(AppConfig):
    name = "mentor247.techcheck"
    label = "techcheck"
    verbose_name = _("Tech check")
    default_auto_field = "django.db.models.BigAutoField"
