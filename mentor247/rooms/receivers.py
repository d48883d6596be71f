"""The attendance sweep (rooms.domain.judge_attendance) is queued for each session's no-show
mark and for its room's closing, whenever a session is confirmed or moved. It judges every
session due, so a run for a session moved since is harmless."""

from typing import Any

from mentor247.bookings.models import Booking
from mentor247.lib.tasks import enqueue_on_commit
from mentor247.rooms import rules
from mentor247.rooms.tasks import judge_attendance_task


def schedule_judgement(sender: Any, booking: Booking, **kwargs: Any) -> None:
    enqueue_on_commit(judge_attendance_task, run_after=booking.starts_at + rules.NO_SHOW_AFTER)
    enqueue_on_commit(judge_attendance_task, run_after=rules.closes_at(booking.ends_at))
