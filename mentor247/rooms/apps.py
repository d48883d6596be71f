from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomsConfig(AppConfig):
    name = "mentor247.rooms"
    label = "rooms"
    verbose_name = _("Rooms")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mentor247.bookings.signals import session_scheduled
        from mentor247.rooms.receivers import schedule_judgement

        session_scheduled.connect(schedule_judgement, dispatch_uid="rooms.schedule_judgement")
