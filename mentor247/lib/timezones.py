"""Time zone names the platform accepts, validation for them, and the one way moments are
written for people."""

import zoneinfo
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime", "Factory"}))


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def validate_time_zone(name: str) -> None:
    if not is_time_zone(name):
        raise ValidationError(_("“%(name)s” is not a time zone we know."), params={"name": name})


def wall_clock(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """`moment` as a clock in `zone` (the active zone by default) shows it.

    The way through UTC matters: a wall time written into the hour skipped when clocks go
    forward (02:30 on such a night) comes out as the moment it stands for (03:30), and a
    repeated wall time keeps the side of the change it belongs to (its fold).
    """
    if timezone.is_naive(moment):
        raise ValueError("a moment must know its time zone")
    return moment.astimezone(UTC).astimezone(zone or timezone.get_current_timezone())


def is_repeated(local: datetime) -> bool:
    """Whether the clock shows `local`'s wall time twice, as in the hour clocks go back."""
    earlier, later = local.replace(fold=0), local.replace(fold=1)
    return earlier.utcoffset() != later.utcoffset() and wall_clock(earlier, local.tzinfo).replace(
        tzinfo=None
    ) == local.replace(tzinfo=None)


def side_label(local: datetime) -> str:
    """What tells the two readings of a repeated wall time apart: the zone's abbreviation
    ("EDT", "EST") where it differs between them, else the offset from UTC ("UTC+03:00")."""
    abbreviation = local.tzname() or ""
    if abbreviation.isalpha() and abbreviation != local.replace(fold=1 - local.fold).tzname():
        return abbreviation
    offset = local.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    hours, minutes = divmod(abs(offset) // timedelta(minutes=1), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def format_moment(
    moment: datetime, shape: str = "D j M Y, H:i", *, zone: tzinfo | None = None, named: bool = True
) -> str:
    """`moment` as people read it on the clock of `zone` (the active zone by default), in the
    active language, following a Django date format `shape`: “Tue 24 Nov 2026, 14:30
    (Asia/Kolkata)”. A wall time that comes twice (the hour clocks go back) carries its side,
    “Sun 1 Nov 2026, 01:30 EDT (America/New_York)”; a wall time clocks skip is never shown.
    `named` adds the zone's name."""
    local = wall_clock(moment, zone)
    shown = formats.date_format(local, shape)
    if is_repeated(local):
        shown = f"{shown} {side_label(local)}"
    if named:
        shown = f"{shown} ({zone_name(local.tzinfo)})"
    return shown


def zone_name(zone: tzinfo | None) -> str:
    return getattr(zone, "key", None) or str(zone)


def minutes_text(span: timedelta) -> str:
    """How long `span` lasts, in whole minutes, as people read it in the active language:
    “15 minutes”, “1 minute”."""
    minutes = int(span // timedelta(minutes=1))
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
