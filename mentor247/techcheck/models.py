"""The recorded results of tech checks: the figures a browser measured and the verdict our
server gave them (techcheck.verdict). Written only by techcheck.domain; the last KEEP of each
person are kept. No SDP, ICE candidate or address is ever stored."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentor247.techcheck.verdict import Camera, Device, Level, Microphone, Speaker


class TechCheck(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tech_checks",
        verbose_name=_("person"),
    )
    checked_at = models.DateTimeField(_("checked at"))
    verdict = models.CharField(
        _("verdict"),
        max_length=8,
        choices=[
            (Level.GOOD.value, _("good")),
            (Level.WARNING.value, _("warning")),
            (Level.BAD.value, _("bad")),
        ],
    )
    # The network figures are empty when the browser could not reach our server's peer.
    rtt_ms = models.PositiveIntegerField(_("round-trip time (ms)"), null=True, blank=True)
    # Tenths of a percent (per mille), so 2.5 % is 25: an integer compares exactly.
    loss_permille = models.PositiveSmallIntegerField(
        _("loss (tenths of a percent)"), null=True, blank=True
    )
    throughput_kbps = models.PositiveIntegerField(_("throughput (kbit/s)"), null=True, blank=True)
    camera = models.CharField(
        _("camera"), max_length=8, choices=[(value.value, value.value) for value in Camera]
    )
    microphone = models.CharField(
        _("microphone"), max_length=8, choices=[(value.value, value.value) for value in Microphone]
    )
    speaker = models.CharField(
        _("speaker"), max_length=9, choices=[(value.value, value.value) for value in Speaker]
    )
    device = models.CharField(
        _("device"), max_length=8, choices=[(value.value, value.value) for value in Device]
    )
    # Codes of techcheck.verdict.ADVICE, most important first.
    advice = models.JSONField(_("advice"), default=list, blank=True)

    class Meta:
        verbose_name = _("tech check")
        verbose_name_plural = _("tech checks")
        indexes: ClassVar = [
            models.Index(fields=["user", "-checked_at", "-id"], name="techcheck_latest")
        ]

    def __str__(self) -> str:
        return f"tech check {self.pk} of user {self.user_id}: {self.verdict}"

    @property
    def loss_percent(self) -> float | None:
        return None if self.loss_permille is None else self.loss_permille / 10
