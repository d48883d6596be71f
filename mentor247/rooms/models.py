"""A booking's video room: its unguessable address, who was there when, and the outcome the
Code of Conduct's times give (rooms.rules). Written only by rooms.domain."""

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentor247.bookings.models import Booking


def new_key() -> str:
    return secrets.token_urlsafe(18)


class Room(models.Model):
    class NoShow(models.TextChoices):
        MENTOR = "mentor", _("the mentor")
        MENTEE = "mentee", _("the mentee")
        BOTH = "both", _("both")

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, related_name="room", verbose_name=_("booking")
    )
    # The room's address: unguessable, and still only for the booking's two people.
    key = models.CharField(_("key"), max_length=32, unique=True, default=new_key, editable=False)
    mentor_joined_at = models.DateTimeField(_("mentor first joined"), null=True, blank=True)
    mentee_joined_at = models.DateTimeField(_("mentee first joined"), null=True, blank=True)
    # Minutes after the moment the mentor should have been there (see rooms.rules).
    mentor_late_minutes = models.PositiveIntegerField(_("mentor late by (minutes)"), null=True)
    no_show = models.CharField(_("no-show"), max_length=8, choices=NoShow.choices, blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return f"room of booking {self.booking_id}"


class Attendance(models.Model):
    """One stay of one participant in the room: from joining to leaving."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("room")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    joined_at = models.DateTimeField(_("joined"))
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    device = models.CharField(_("device"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering: ClassVar = ["joined_at"]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id} from {self.joined_at:%H:%M}"
