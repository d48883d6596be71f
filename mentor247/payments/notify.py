"""Emails about a mentee's money, in their own language and time zone."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from mentor247.lib.mail import queue_email, render_subject
from mentor247.payments.models import Refund


def tell_refund(refund: Refund) -> None:
    """Emails the mentee that `refund` goes back to their card, how much and why, once the
    transaction commits."""
    payment = refund.payment
    mentee = payment.mentee
    with translation.override(mentee.language), timezone.override(mentee.time_zone):
        context = {
            "refund": refund,
            "payment": payment,
            "person": mentee,
            "offering": payment.engagement.offering,
            "link": settings.SITE_URL + reverse("payments:payment", args=[payment.pk]),
            "SITE_NAME": settings.SITE_NAME,
        }
        subject = render_subject("payments/email/refund_subject.txt", context)
        body = render_to_string("payments/email/refund_body.txt", context)
    queue_email(EmailMessage(subject, body, to=[mentee.email]))
