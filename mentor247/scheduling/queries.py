"""Reads of availability: a mentor's rules for the slot engine, and their free times."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from mentor247.mentors.models import MentorProfile
from mentor247.scheduling.models import Availability
from mentor247.scheduling.slots import Interval, Rules, Travel


def _intervals(hours: list[list[int]]) -> tuple[Interval, ...]:
    return tuple(Interval(start, end) for start, end in hours)


def rules_of(profile: MentorProfile, availability: Availability | None) -> Rules:
    """The slot engine's rules for `profile` (no hours at all without an availability)."""
    if availability is None:
        return Rules(profile.time_zone, tuple(() for _day in range(7)))
    return Rules(
        profile.time_zone,
        tuple(_intervals(day) for day in availability.weekly_hours),
        overrides={
            override.date: _intervals(override.hours) for override in availability.overrides.all()
        },
        travel=tuple(
            Travel(trip.first_day, trip.last_day, trip.time_zone)
            for trip in availability.travel.all()
        ),
        buffer_before=timedelta(minutes=availability.buffer_before),
        buffer_after=timedelta(minutes=availability.buffer_after),
        notice=timedelta(minutes=availability.minimum_notice),
        horizon=timedelta(days=availability.horizon_days),
        max_per_day=availability.max_per_day,
        grid=availability.slot_grid,
    )


def availability_of(profile: MentorProfile) -> Availability | None:
    return (
        Availability.objects.prefetch_related("overrides", "travel").filter(profile=profile).first()
    )


def by_local_date(moments: list[datetime], zone: ZoneInfo) -> list[tuple[date, list[datetime]]]:
    """`moments` grouped by their date in `zone`, each in that zone, in order."""
    days: dict[date, list[datetime]] = defaultdict(list)
    for moment in moments:
        local = moment.astimezone(zone)
        days[local.date()].append(local)
    return sorted(days.items())
