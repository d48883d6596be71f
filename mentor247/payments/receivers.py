"""What payments do when bookings change: a paid session confirmed waits to be settled by
the tick (mentor247.periodic), a cancelled one is settled at once, and a hold cancelled while
it was being paid for has its payment stopped."""

from typing import Any

from mentor247.bookings.models import Booking
from mentor247.lib.tasks import enqueue_on_commit
from mentor247.payments.models import DueSession, Payment
from mentor247.payments.tasks import give_up_payment, settle_session


def mark_due(sender: Any, booking: Booking, **kwargs: Any) -> None:
    """A paid session confirmed: its money waits in escrow until the tick's settlement step
    moves it (payments.domain.settle_due_sessions)."""
    if booking.engagement.price:
        DueSession.objects.get_or_create(booking=booking)


def settle_cancelled(sender: Any, booking: Booking, **kwargs: Any) -> None:
    """A cancelled paid session's money moves at once (or, forfeited, after its window)."""
    if booking.engagement.price:
        enqueue_on_commit(settle_session, booking.pk)


def give_up_payments(sender: Any, booking: Booking, **kwargs: Any) -> None:
    """A hold cancelled while it was being paid for: its payment is stopped at the provider
    (and refunded if the provider had taken the money already)."""
    for payment_id in booking.payments.filter(state__in=Payment.LIVE).values_list("pk", flat=True):
        enqueue_on_commit(give_up_payment, payment_id)
