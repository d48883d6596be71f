from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mentor247.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Imported here: apps.py is imported before the models are loaded, and both of these
        # import models.
        from django.contrib.auth.signals import user_logged_in

        from mentor247.accounts.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="accounts.session_clock")
