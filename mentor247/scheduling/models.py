"""A mentor's availability: weekly hours, date overrides, travel and booking settings.

Hours are minutes after local midnight, as [start, end] pairs (see scheduling.slots); they are
read on the clock of the zone the mentor is in on each date.
"""

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentor247.lib.timezones import validate_time_zone
from mentor247.mentors.models import MentorProfile
from mentor247.scheduling.slots import GRIDS

MAX_BUFFER = 120  # minutes
MAX_NOTICE = 14 * 24 * 60  # minutes
MAX_HORIZON = 365  # days: twelve months
MAX_PER_DAY = 24


def empty_week() -> list[list[list[int]]]:
    return [[] for _day in range(7)]


class Availability(models.Model):
    """When mentees may book a mentor, and on what terms. Written only by
    scheduling.domain.replace_availability."""

    profile = models.OneToOneField(
        MentorProfile,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="availability",
        verbose_name=_("mentor"),
    )
    # Seven lists of [start, end] minutes after local midnight, Monday first.
    weekly_hours = models.JSONField(_("weekly hours"), default=empty_week)
    buffer_before = models.PositiveSmallIntegerField(
        _("free minutes before each session"), default=0, validators=[MaxValueValidator(MAX_BUFFER)]
    )
    buffer_after = models.PositiveSmallIntegerField(
        _("free minutes after each session"), default=0, validators=[MaxValueValidator(MAX_BUFFER)]
    )
    minimum_notice = models.PositiveIntegerField(
        _("minimum notice in minutes"), default=12 * 60, validators=[MaxValueValidator(MAX_NOTICE)]
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("booking horizon in days"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HORIZON)],
    )
    max_per_day = models.PositiveSmallIntegerField(
        _("most sessions a day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PER_DAY)],
    )
    slot_grid = models.PositiveSmallIntegerField(
        _("start times every"), choices=[(grid, str(grid)) for grid in GRIDS], default=30
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(slot_grid__in=GRIDS), name="scheduling_grid"),
            models.CheckConstraint(
                condition=models.Q(horizon_days__gte=1, horizon_days__lte=MAX_HORIZON),
                name="scheduling_horizon",
            ),
            models.CheckConstraint(
                condition=models.Q(buffer_before__lte=MAX_BUFFER, buffer_after__lte=MAX_BUFFER),
                name="scheduling_buffers",
            ),
            models.CheckConstraint(
                condition=models.Q(max_per_day__isnull=True) | models.Q(max_per_day__gte=1),
                name="scheduling_max_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"availability of mentor {self.pk}"


class DateOverride(models.Model):
    """Hours for one date that replace its weekly hours; none is a day off."""

    availability = models.ForeignKey(
        Availability, on_delete=models.CASCADE, related_name="overrides"
    )
    date = models.DateField(_("date"))
    # [start, end] minute pairs, as in Availability.weekly_hours.
    hours = models.JSONField(_("hours"), default=list, blank=True)

    class Meta:
        verbose_name = _("date override")
        verbose_name_plural = _("date overrides")
        ordering: ClassVar = ["date"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["availability", "date"], name="scheduling_override_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.hours}"


class Travel(models.Model):
    """Dates on which the mentor's hours are on another zone's clock."""

    availability = models.ForeignKey(Availability, on_delete=models.CASCADE, related_name="travel")
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])

    class Meta:
        verbose_name = _("travel")
        verbose_name_plural = _("travel")
        ordering: ClassVar = ["first_day"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(first_day__lte=models.F("last_day")),
                name="scheduling_travel_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_day}-{self.last_day}: {self.time_zone}"
