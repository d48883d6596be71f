from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data and `manage.py seed_demo`; it has no models."""

    name = "mentor247.demo"
    label = "demo"
    verbose_name = _("Demo data")
