"""The Code of Conduct's times, in one place: when a room is open, when a mentor is late, and
when someone who has not come is a no-show. Pure functions of instants (UTC)."""

import math
from datetime import datetime, timedelta

OPENS_BEFORE = timedelta(minutes=15)  # the room opens this long before the start
CLOSES_AFTER = timedelta(minutes=30)  # and closes this long after the end
MENTOR_ON_TIME_BEFORE = timedelta(minutes=5)  # a mentor joins at least this long before
NO_SHOW_AFTER = timedelta(minutes=15)  # nobody by then after the start: a no-show


def opens_at(starts_at: datetime) -> datetime:
    return starts_at - OPENS_BEFORE


def closes_at(ends_at: datetime) -> datetime:
    return ends_at + CLOSES_AFTER


def is_open(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """Open from OPENS_BEFORE the start until CLOSES_AFTER the end, both ends included."""
    return opens_at(starts_at) <= now <= closes_at(ends_at)


def mentor_late_minutes(starts_at: datetime, first_joined_at: datetime) -> int:
    """How late a mentor who first joined at `first_joined_at` was, in whole minutes rounded
    up: 0 when they joined MENTOR_ON_TIME_BEFORE the start or earlier."""
    late = first_joined_at - (starts_at - MENTOR_ON_TIME_BEFORE)
    return max(0, math.ceil(late.total_seconds() / 60))


def no_show_due(starts_at: datetime, now: datetime) -> bool:
    """Whether a participant who has not joined by `now` counts as a no-show."""
    return now >= starts_at + NO_SHOW_AFTER


def came_in_time(starts_at: datetime, first_joined_at: datetime | None) -> bool:
    """Whether someone who first joined at `first_joined_at` (None: never) was there before
    the no-show mark, in this session's room time (a join before the session was moved does
    not count)."""
    return first_joined_at is not None and opens_at(starts_at) <= first_joined_at < (
        starts_at + NO_SHOW_AFTER
    )


def counts_for(starts_at: datetime, first_joined_at: datetime | None) -> bool:
    """Whether a recorded first join belongs to the session as it now stands: one from
    before the room's opening was made at an earlier time the session has since moved from."""
    return first_joined_at is not None and first_joined_at >= opens_at(starts_at)
