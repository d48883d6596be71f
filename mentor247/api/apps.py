from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from mentor247.accounts.signals import password_set_by_staff


class ApiConfig(AppConfig):
    name = "mentor247.api"
    label = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        for signal in (password_changed, password_set, password_reset, password_set_by_staff):
            signal.connect(end_tokens_with_the_password, dispatch_uid=f"api.tokens.{id(signal)}")


def end_tokens_with_the_password(sender: Any, user: Any, **kwargs: Any) -> None:
    """A password changed, set or reset (allauth), or set by staff (accounts): every token of
    the person ends."""
    # Imported here: apps.py is imported before the models are loaded.
    from mentor247.api.domain import revoke_all_tokens

    revoke_all_tokens(user)
