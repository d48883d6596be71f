"""Time zone names the platform accepts, and validation for them."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime", "Factory"}))


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def validate_time_zone(name: str) -> None:
    if not is_time_zone(name):
        raise ValidationError(_("“%(name)s” is not a time zone we know."), params={"name": name})
