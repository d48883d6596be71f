from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "mentor247.payments"
    label = "payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here: receivers import models, not yet loaded when apps.py is.
        from mentor247.bookings.signals import hold_cancelled, session_cancelled, session_scheduled
        from mentor247.payments.receivers import (
            give_up_payments,
            mark_due,
            settle_cancelled,
        )

        session_scheduled.connect(mark_due, dispatch_uid="payments.mark_due")
        session_cancelled.connect(settle_cancelled, dispatch_uid="payments.settle_cancelled")
        hold_cancelled.connect(give_up_payments, dispatch_uid="payments.give_up_payments")
