"""The settlement sweep (payments.domain.settle_due_sessions) is queued for each paid
session's moments: just after its no-show mark (a mentor who did not come is refunded at
once) and once its dispute window has passed after the room closed. It settles every session
due, so a run for a session moved since is harmless."""

from datetime import timedelta
from typing import Any

from django.conf import settings

from mentor247.bookings.models import Booking
from mentor247.lib.tasks import enqueue_on_commit
from mentor247.payments.tasks import settle_due_sessions, settle_session
from mentor247.rooms import rules


def schedule_settlement(sender: Any, booking: Booking, **kwargs: Any) -> None:
    if booking.engagement.price == 0:
        return
    minute = timedelta(minutes=1)
    window = timedelta(hours=settings.PAYMENTS_DISPUTE_HOURS)
    enqueue_on_commit(
        settle_due_sessions, run_after=booking.starts_at + rules.NO_SHOW_AFTER + minute
    )
    enqueue_on_commit(
        settle_due_sessions, run_after=rules.closes_at(booking.ends_at) + window + minute
    )


def settle_cancelled(sender: Any, booking: Booking, **kwargs: Any) -> None:
    """A cancelled paid session's money moves at once (or, forfeited, after its window)."""
    if booking.engagement.price:
        enqueue_on_commit(settle_session, booking.pk)
