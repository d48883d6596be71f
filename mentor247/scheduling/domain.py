"""The only writer of mentors' availability."""

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from mentor247.lib.timezones import is_time_zone
from mentor247.mentors.domain import lock_profile
from mentor247.mentors.models import MentorProfile
from mentor247.scheduling import slots
from mentor247.scheduling.models import (
    MAX_BUFFER,
    MAX_HORIZON,
    MAX_NOTICE,
    MAX_PER_DAY,
    Availability,
    DateOverride,
    Travel,
)
from mentor247.scheduling.slots import GRIDS, MINUTES_PER_DAY

MAX_INTERVALS = 8  # a day
MAX_OVERRIDES = 400
MAX_TRAVEL = 50
MAX_TRAVEL_DAYS = 366

Hours = Sequence[tuple[int, int]]  # [start, end) minutes after local midnight


@dataclass(frozen=True)
class BookingSettings:
    buffer_before: int = 0  # minutes
    buffer_after: int = 0
    minimum_notice: int = 12 * 60  # minutes
    horizon_days: int = 60
    max_per_day: int | None = None
    slot_grid: int = 30


@dataclass(frozen=True)
class AvailabilityTerms:
    weekly_hours: Sequence[Hours]  # seven days, Monday first
    settings: BookingSettings = BookingSettings()
    overrides: Mapping[date, Hours] = field(default_factory=dict)
    travel: Sequence[slots.Travel] = ()


def hours_problem(hours: Hours) -> str | None:
    """What is wrong with one day's hours, or None."""
    if len(hours) > MAX_INTERVALS:
        return _("At most %(count)s stretches of time a day.") % {"count": MAX_INTERVALS}
    for start, end in hours:
        if not 0 <= start < end <= MINUTES_PER_DAY:
            return _("Each stretch of time must end after it starts, within the day.")
    ordered = sorted(hours)
    for (_start, end), (next_start, _end) in itertools.pairwise(ordered):
        if next_start < end:
            return _("Stretches of time on one day must not overlap.")
    return None


def check_terms(terms: AvailabilityTerms) -> None:
    """Raises ValidationError, by field, unless `terms` can be a mentor's availability."""
    errors: dict[str, str] = {}
    if len(terms.weekly_hours) != 7:
        errors["weekly_hours"] = _("Give hours for each of the seven days, even if none.")
    else:
        for hours in terms.weekly_hours:
            problem = hours_problem(hours)
            if problem:
                errors["weekly_hours"] = problem
                break
    settings = terms.settings
    if not (0 <= settings.buffer_before <= MAX_BUFFER and 0 <= settings.buffer_after <= MAX_BUFFER):
        errors["buffer_before"] = _("Free time around a session is 0 to %(max)s minutes.") % {
            "max": MAX_BUFFER
        }
    if not 0 <= settings.minimum_notice <= MAX_NOTICE:
        errors["minimum_notice"] = _("Notice is at most %(days)s days.") % {
            "days": MAX_NOTICE // (24 * 60)
        }
    if not 1 <= settings.horizon_days <= MAX_HORIZON:
        errors["horizon_days"] = _("Mentees can book from 1 to %(max)s days ahead.") % {
            "max": MAX_HORIZON
        }
    if settings.max_per_day is not None and not 1 <= settings.max_per_day <= MAX_PER_DAY:
        errors["max_per_day"] = _("The most sessions a day is 1 to %(max)s, or no limit.") % {
            "max": MAX_PER_DAY
        }
    if settings.slot_grid not in GRIDS:
        errors["slot_grid"] = _("Start times come every %(grids)s minutes.") % {
            "grids": get_text_list([str(minutes) for minutes in GRIDS], _("or"))
        }
    if len(terms.overrides) > MAX_OVERRIDES:
        errors["overrides"] = _("At most %(count)s dates with their own hours.") % {
            "count": MAX_OVERRIDES
        }
    for day, hours in sorted(terms.overrides.items()):
        problem = hours_problem(hours)
        if problem:
            errors["overrides"] = f"{day.isoformat()}: {problem}"
            break
    travel_problem = _travel_problem(terms.travel)
    if travel_problem:
        errors["travel"] = travel_problem
    if errors:
        raise ValidationError(errors)


def _travel_problem(travel: Sequence[slots.Travel]) -> str | None:
    if len(travel) > MAX_TRAVEL:
        return _("At most %(count)s trips.") % {"count": MAX_TRAVEL}
    for trip in travel:
        if not is_time_zone(trip.time_zone):
            return _("“%(name)s” is not a time zone we know.") % {"name": trip.time_zone}
        if trip.last < trip.first:
            return _("A trip must end on or after the day it starts.")
        if trip.last - trip.first >= timedelta(days=MAX_TRAVEL_DAYS):
            return _("A trip is at most a year; change your time zone in your profile instead.")
    ordered = sorted(travel, key=lambda trip: trip.first)
    for trip, following in itertools.pairwise(ordered):
        if following.first <= trip.last:
            return _("Trips must not overlap.")
    return None


def replace_availability(profile: MentorProfile, terms: AvailabilityTerms) -> Availability:
    """Replaces the mentor's weekly hours, settings, date overrides and travel with `terms`.

    Locks the mentor's person and profile rows (as every write about a mentor does), so a
    booking checking the hours waits for the new ones. Bookings already made stay.
    """
    check_terms(terms)
    settings = terms.settings
    with transaction.atomic():
        profile = lock_profile(profile)
        availability, _created = Availability.objects.update_or_create(
            profile=profile,
            defaults={
                "weekly_hours": [
                    sorted([start, end] for start, end in day) for day in terms.weekly_hours
                ],
                "buffer_before": settings.buffer_before,
                "buffer_after": settings.buffer_after,
                "minimum_notice": settings.minimum_notice,
                "horizon_days": settings.horizon_days,
                "max_per_day": settings.max_per_day,
                "slot_grid": settings.slot_grid,
            },
        )
        availability.overrides.all().delete()
        DateOverride.objects.bulk_create(
            DateOverride(
                availability=availability,
                date=day,
                hours=sorted([start, end] for start, end in hours),
            )
            for day, hours in terms.overrides.items()
        )
        availability.travel.all().delete()
        Travel.objects.bulk_create(
            Travel(
                availability=availability,
                first_day=trip.first,
                last_day=trip.last,
                time_zone=trip.time_zone,
            )
            for trip in terms.travel
        )
    return availability
