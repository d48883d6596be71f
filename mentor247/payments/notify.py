"""Emails about a mentee's money, in their own language and time zone."""

from django.conf import settings
from django.urls import reverse

from mentor247.lib.mail import queue_email, render_email
from mentor247.payments.models import Refund


def tell_refund(refund: Refund) -> None:
    """Emails the mentee that `refund` goes back to their card, how much and why, once the
    transaction commits."""
    payment = refund.payment
    mentee = payment.mentee
    context = {
        "refund": refund,
        "payment": payment,
        "offering": payment.engagement.offering,
        "link": settings.SITE_URL + reverse("payments:payment", args=[payment.pk]),
    }
    queue_email(render_email(mentee, "payments/email/refund", context))
