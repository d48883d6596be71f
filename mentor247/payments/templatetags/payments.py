from typing import Any

from django import template
from django.db.models import Sum

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.payments.domain import can_dispute
from mentor247.payments.models import Dispute, Payment, Settlement

register = template.Library()


@register.inclusion_tag("payments/_booking_panel.html")
def payment_panel(booking: Booking, user: User) -> dict[str, Any]:
    """On a booking's page: what was paid and given back, where the session's money went,
    and the mentee's way to dispute it while they may."""
    is_mentee = user.pk == booking.mentee_id
    payment = (
        Payment.objects.filter(engagement_id=booking.engagement_id, state=Payment.State.SUCCEEDED)
        .annotate(refunded=Sum("refunds__amount"))
        .first()
    )
    return {
        "booking": booking,
        "is_mentee": is_mentee,
        "payment": payment if is_mentee else None,
        "settlement": Settlement.objects.filter(booking=booking).first(),
        "dispute": Dispute.objects.filter(booking=booking).first(),
        "can_dispute": is_mentee and payment is not None and can_dispute(booking),
    }
