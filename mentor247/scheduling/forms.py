"""The availability editor: the week as a grid of days, settings, dates and trips, as text a
mentor can type and read."""

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from mentor247.lib.bounds import check_day
from mentor247.lib.forms import add_domain_errors
from mentor247.lib.timezones import time_zone_names
from mentor247.scheduling import slots
from mentor247.scheduling.domain import AvailabilityTerms, BookingSettings, Hours
from mentor247.scheduling.models import (
    MAX_BUFFER,
    MAX_HORIZON,
    MAX_NOTICE,
    MAX_PER_DAY,
    Availability,
)
from mentor247.scheduling.slots import GRIDS

STRETCH = re.compile(r"^(\d{1,2}):(\d{2})\s*[-\u2013]\s*(\d{1,2}):(\d{2})$")
DATED = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*:\s*(.*)$")
TRIP = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(?:to|-|\u2013)\s+(\d{4}-\d{2}-\d{2})\s*:\s*(\S+)$")
HOURS_EXAMPLE = _("Write hours like 09:00-12:00, 14:00-17:30.")
DAY_OFF_WORDS = frozenset({"off", "-", "none", "libre"})


def parse_hours(text: str) -> list[tuple[int, int]]:
    """ "09:00-12:00, 14:00-17:30" as minute pairs; raises ValidationError."""
    hours = []
    for part in (part.strip() for part in text.split(",")):
        if not part:
            continue
        match = STRETCH.match(part)
        if not match:
            raise ValidationError(HOURS_EXAMPLE)
        start_h, start_m, end_h, end_m = (int(number) for number in match.groups())
        if start_m >= 60 or end_m >= 60 or start_h > 23 or end_h > 24 or (end_h == 24 and end_m):
            raise ValidationError(HOURS_EXAMPLE)
        hours.append((start_h * 60 + start_m, end_h * 60 + end_m))
    return hours


def show_hours(hours: list[list[int]] | Hours) -> str:
    return ", ".join(f"{_clock(start)}-{_clock(end)}" for start, end in hours)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _date(text: str) -> date:
    try:
        return check_day(date.fromisoformat(text))
    except ValueError:
        raise ValidationError(
            _("“%(text)s” is not a date like 2026-12-24.") % {"text": text}
        ) from None


class AvailabilityForm(forms.Form):
    label_suffix = ""

    buffer_before = forms.IntegerField(
        label=_("Free minutes before each session"), min_value=0, max_value=MAX_BUFFER, initial=0
    )
    buffer_after = forms.IntegerField(
        label=_("Free minutes after each session"), min_value=0, max_value=MAX_BUFFER, initial=0
    )
    notice_hours = forms.IntegerField(
        label=_("Minimum notice, in hours"),
        min_value=0,
        max_value=MAX_NOTICE // 60,
        initial=12,
        help_text=_("Mentees cannot book a session starting sooner than this."),
    )
    horizon_days = forms.IntegerField(
        label=_("Mentees can book up to this many days ahead"),
        min_value=1,
        max_value=MAX_HORIZON,
        initial=60,
    )
    max_per_day = forms.IntegerField(
        label=_("Most sessions a day"),
        min_value=1,
        max_value=MAX_PER_DAY,
        required=False,
        help_text=_("Empty for no limit. Counted on your own date of each start."),
    )
    slot_grid = forms.TypedChoiceField(
        label=_("Sessions start every"),
        choices=[(grid, _("%(minutes)s minutes") % {"minutes": grid}) for grid in GRIDS],
        coerce=int,
        initial=30,
    )
    overrides = forms.CharField(
        label=_("Dates with other hours"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One date per line, replacing that day's weekly hours: “2026-12-24: off” or "
            "“2026-12-31: 10:00-14:00”."
        ),
    )
    travel = forms.CharField(
        label=_("Travel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One trip per line, when your hours follow another clock: “2026-12-01 to "
            "2026-12-14: Asia/Tokyo”."
        ),
    )

    def __init__(self, *args: Any, availability: Availability | None = None, **kwargs: Any):
        if availability is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(availability)
        super().__init__(*args, **kwargs)
        self.days = []
        for number, name in WEEKDAYS.items():
            key = f"day_{number}"
            self.fields[key] = forms.CharField(
                label=name, required=False, widget=forms.TextInput(attrs={"class": "hours"})
            )
            self.days.append(self[key])

    def settings_fields(self) -> list[forms.BoundField]:
        names = ("buffer_before", "buffer_after", "notice_hours", "horizon_days")
        return [self[name] for name in (*names, "max_per_day", "slot_grid")]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        for number in range(7):
            key = f"day_{number}"
            try:
                data[key] = parse_hours(data.get(key, ""))
            except ValidationError as error:
                self.add_error(key, error)
        return data

    def clean_overrides(self) -> dict[date, list[tuple[int, int]]]:
        found: dict[date, list[tuple[int, int]]] = {}
        for line in filter(
            None, (line.strip() for line in self.cleaned_data["overrides"].splitlines())
        ):
            match = DATED.match(line)
            if not match:
                raise ValidationError(
                    _("Write each date like “2026-12-24: off” or “2026-12-31: 10:00-14:00”.")
                )
            day = _date(match.group(1))
            if day in found:
                raise ValidationError(_("%(date)s is there twice.") % {"date": day.isoformat()})
            rest = match.group(2).strip()
            found[day] = [] if rest.lower() in DAY_OFF_WORDS or not rest else parse_hours(rest)
        return found

    def clean_travel(self) -> list[slots.Travel]:
        trips = []
        for line in filter(
            None, (line.strip() for line in self.cleaned_data["travel"].splitlines())
        ):
            match = TRIP.match(line)
            if not match:
                raise ValidationError(
                    _("Write each trip like “2026-12-01 to 2026-12-14: Asia/Tokyo”.")
                )
            zone = match.group(3)
            if zone not in time_zone_names():
                raise ValidationError(_("“%(name)s” is not a time zone we know.") % {"name": zone})
            trips.append(slots.Travel(_date(match.group(1)), _date(match.group(2)), zone))
        return trips

    def terms(self) -> AvailabilityTerms:
        data = self.cleaned_data
        return AvailabilityTerms(
            weekly_hours=[data[f"day_{number}"] for number in range(7)],
            settings=BookingSettings(
                buffer_before=data["buffer_before"],
                buffer_after=data["buffer_after"],
                minimum_notice=data["notice_hours"] * 60,
                horizon_days=data["horizon_days"],
                max_per_day=data["max_per_day"],
                slot_grid=data["slot_grid"],
            ),
            overrides=data["overrides"],
            travel=data["travel"],
        )

    def add_domain_errors(self, error: ValidationError) -> None:
        add_domain_errors(self, error)


def initial_from(availability: Availability) -> dict[str, Any]:
    initial: dict[str, Any] = {
        f"day_{number}": show_hours(hours) for number, hours in enumerate(availability.weekly_hours)
    }
    initial.update(
        buffer_before=availability.buffer_before,
        buffer_after=availability.buffer_after,
        notice_hours=availability.minimum_notice // 60,
        horizon_days=availability.horizon_days,
        max_per_day=availability.max_per_day,
        slot_grid=availability.slot_grid,
        overrides="\n".join(
            f"{override.date.isoformat()}: {show_hours(override.hours) or 'off'}"
            for override in availability.overrides.all()
        ),
        travel="\n".join(
            f"{trip.first_day.isoformat()} to {trip.last_day.isoformat()}: {trip.time_zone}"
            for trip in availability.travel.all()
        ),
    )
    return initial


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


class PreviewForm(forms.Form):
    """The zone of the mentee the preview shows the free times to."""

    label_suffix = ""
    zone = forms.ChoiceField(label=_("See your free times as a mentee in"), choices=zone_choices)
