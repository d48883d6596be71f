"""Notes written in or after a mentoring session: private to their author, or shared by the
two people of the booking. Only ever stored encrypted (lib.crypto); written only by
notes.domain. Staff tools (the admin included) never show them."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentor247.bookings.models import Booking


class Note(models.Model):
    class Kind(models.TextChoices):
        PRIVATE = "private", _("private")
        SHARED = "shared", _("shared")

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="notes", verbose_name=_("booking")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # The author of a private note; for a shared one, whoever saved it last.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    ciphertext = models.TextField(_("encrypted text"))
    # Raised by every save: an edit based on an older version is refused, not lost.
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["booking", "author"],
                condition=models.Q(kind="private"),
                name="notes_one_private_note_each",
            ),
            models.UniqueConstraint(
                fields=["booking"],
                condition=models.Q(kind="shared"),
                name="notes_one_shared_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} note of booking {self.booking_id}"
