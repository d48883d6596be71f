from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "mentor247.payments"
    label = "payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mentor247.bookings.signals import session_cancelled, session_scheduled
        from mentor247.payments.receivers import schedule_settlement, settle_cancelled

        session_scheduled.connect(schedule_settlement, dispatch_uid="payments.schedule_settlement")
        session_cancelled.connect(settle_cancelled, dispatch_uid="payments.settle_cancelled")
