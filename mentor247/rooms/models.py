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
    # The first session's points (rooms.agenda.POINTS) the mentor has ticked.
    covered = models.JSONField(_("first-session points covered"), default=list, blank=True)
    # The mentor's closing: action items, next step and closing words, encrypted like notes.
    wrap_up = models.TextField(_("encrypted wrap-up"), blank=True)
    wrapped_up_at = models.DateTimeField(_("wrapped up"), null=True, blank=True)

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
    # The signalling socket of this stay (Channels' channel name), so a newer one replaces it.
    channel = models.CharField(_("socket"), max_length=200, blank=True)
    # What the browser measured: candidate types, round trips and loss (rooms.quality).
    connection = models.JSONField(_("connection summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering: ClassVar = ["joined_at"]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id} from {self.joined_at:%H:%M}"


class CameraOff(models.Model):
    """A stretch of a stay with the camera off, as the participant's browser reported it."""

    attendance = models.ForeignKey(
        Attendance,
        on_delete=models.CASCADE,
        related_name="camera_offs",
        verbose_name=_("attendance"),
    )
    started_at = models.DateTimeField(_("camera off from"))
    ended_at = models.DateTimeField(_("camera on again"), null=True, blank=True)

    class Meta:
        verbose_name = _("camera-off interval")
        verbose_name_plural = _("camera-off intervals")
        ordering: ClassVar = ["started_at"]

    def __str__(self) -> str:
        return f"camera off in attendance {self.attendance_id} from {self.started_at:%H:%M}"


class JoinAttempt(models.Model):
    """Every press of "join", admitted or refused, with the device it came from."""

    class Outcome(models.TextChoices):
        ADMITTED = "admitted", _("admitted")
        WARNED = "warned", _("admitted with a warning")
        REFUSED = "refused", _("refused")

    class Reason(models.TextChoices):
        NONE = "", _("none")
        PHONE = "phone", _("on a phone")
        CAMERA_OFF = "camera_off", _("camera off")
        CHECKLIST = "checklist", _("checklist not confirmed")
        POLICY = "policy", _("Code of Conduct not accepted")

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="join_attempts", verbose_name=_("room")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(_("when"))
    device = models.CharField(_("device"), max_length=16)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)

    class Meta:
        verbose_name = _("join attempt")
        verbose_name_plural = _("join attempts")
        ordering: ClassVar = ["at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.outcome} in {self.room_id}"


class ChatMessage(models.Model):
    """A line of the in-call chat, kept with the booking and encrypted like notes."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="chat", verbose_name=_("room")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    sent_at = models.DateTimeField(_("sent"))
    ciphertext = models.TextField(_("encrypted text"))

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering: ClassVar = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"chat message {self.pk} in {self.room_id}"
