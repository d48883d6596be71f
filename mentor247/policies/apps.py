from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "mentor247.policies"
    label = "policies"
    verbose_name = _("Policies")

    def ready(self) -> None:
        # Imported here: the domain imports models, not yet loaded when apps.py is.
        from mentor247.policies.domain import install_default_policies

        # After migrate, and after a test flush, every database has the three policies.
        post_migrate.connect(install_default_policies, sender=self)
