"""The range of dates and times anyone may send, checked where they come in (forms, API
schemas), so that no date far outside it reaches the code that adds days to it.

Every date a person or a program sends must fall in the years FIRST_YEAR to LAST_YEAR. The
range is wide for any real use (sessions, availability, statements) and keeps the arithmetic
of every later step (a day added, a zone converted, a month ended) inside what Python's dates hold.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_YEAR = 2000
LAST_YEAR = 2099


def out_of_range_message() -> str:
    return _("Dates must fall in the years %(first)s to %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def in_range(day: date) -> bool:
    """Whether `day` (a date, or the wall date of a datetime) lies in the years allowed."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def check_day(day: date) -> date:
    """`day`, or ValidationError (code "out_of_range") when it is outside the years allowed."""
    if not in_range(day):
        raise ValidationError(out_of_range_message(), code="out_of_range")
    return day


def check_moment(moment: datetime) -> datetime:
    """`moment`, which must carry its offset from UTC and lie in the years allowed; otherwise
    ValidationError (code "naive" or "out_of_range"). The year is read off the wall time first,
    so even year 1 or 9999 with any offset is refused without overflowing."""
    if not in_range(moment):
        raise ValidationError(out_of_range_message(), code="out_of_range")
    if timezone.is_naive(moment):
        raise ValidationError(
            _("Give the time with its offset from UTC, such as 2026-12-01T09:00:00+05:45 or …Z."),
            code="naive",
        )
    return moment
