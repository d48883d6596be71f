from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "mentor247.api"
    label = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from allauth.account.signals import password_changed, password_reset, password_set

        for signal in (password_changed, password_set, password_reset):
            signal.connect(end_tokens_with_the_password, dispatch_uid=f"api.tokens.{id(signal)}")


def end_tokens_with_the_password(sender: Any, user: Any, **kwargs: Any) -> None:
    """allauth's signals of a password changed, set or reset: every token of the person ends."""
    from mentor247.api.domain import revoke_all_tokens

    revoke_all_tokens(user)
