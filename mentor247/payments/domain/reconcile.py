"""Reconciliation: what the platform asked of a provider and has no final word on yet
(payments, refunds, payouts) is asked again, with back-off, until it is settled; after
MAX_ATTEMPTS unanswered tries it waits for staff, who can set it going again. Every step is
bounded per run and reads only rows that are due, by partial indexes."""

import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.domain import record_staff_action
from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.lib.tasks import enqueue_on_commit
from mentor247.payments.domain.checkout import give_up_payment, send_refund, settle_payment
from mentor247.payments.domain.payouts import send_payout
from mentor247.payments.domain.retry import MAX_ATTEMPTS, backoff, first_check
from mentor247.payments.models import Payment, Payout, Refund
from mentor247.payments.providers.base import ProviderError


def check_payment(payment_id: int, *, now: datetime | None = None) -> Payment:
    """Asks the provider about a payment still under way and settles it by the answer. A
    payment whose booking is no longer held (the hold ran out or was cancelled) is given up
    at the provider, and refunded if the provider took the money anyway. Unanswered, it is
    asked again after backoff(); after MAX_ATTEMPTS it waits for staff."""
    now = now or timezone.now()
    payment = Payment.objects.select_related("booking").get(pk=payment_id)
    if payment.state not in Payment.LIVE or payment.stuck:
        return payment
    booking = payment.booking
    held = booking.status in Booking.HOLDING and (
        booking.hold_expires_at is None or booking.hold_expires_at > now
    )
    try:
        payment = give_up_payment(payment.pk) if not held else settle_payment(payment.pk)
    except (ProviderError, bookings.Busy):
        checks = payment.checks + 1
        Payment.objects.filter(pk=payment.pk, state__in=Payment.LIVE).update(
            checks=checks, stuck=checks >= MAX_ATTEMPTS, next_check_at=now + backoff(checks)
        )
    else:
        if payment.state in Payment.LIVE:  # the mentee is still at the provider's page
            Payment.objects.filter(pk=payment.pk).update(checks=0, next_check_at=now + backoff(1))
    payment.refresh_from_db()
    return payment


def reconcile(*, limit: int = 200, now: datetime | None = None) -> dict[str, int]:
    """The sweep: up to `limit` each of the payments, refunds and payouts that are due to be
    asked about again. Returns how many of each it asked about."""
    now = now or timezone.now()
    payments = list(
        Payment.objects.filter(state__in=Payment.LIVE, stuck=False, next_check_at__lte=now)
        .order_by("next_check_at")
        .values_list("pk", flat=True)[:limit]
    )
    for payment_id in payments:
        check_payment(payment_id, now=now)
    refunds = list(
        Refund.objects.filter(state=Refund.State.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for refund_id in refunds:
        send_refund(refund_id)
    payouts = list(
        Payout.objects.filter(state=Payout.State.IN_TRANSIT, stuck=False, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for payout_id in payouts:
        send_payout(payout_id)
    return {"payments": len(payments), "refunds": len(refunds), "payouts": len(payouts)}


def retry_by_staff(target: Payment | Refund | Payout, *, by: User) -> None:
    """Staff set a payment, refund or payout that waits for them going again: it is asked
    about at once, then by the sweep with back-off from the start. Recorded in the audit log.
    Raises ValidationError for one that does not wait for staff."""
    # Tasks run domain functions: imported here, as every domain module that queues does.
    from mentor247.payments import tasks

    now = timezone.now()
    task: Any
    with transaction.atomic():
        if isinstance(target, Refund):
            failed = Refund.objects.filter(pk=target.pk, state=Refund.State.FAILED)
            # A refund the provider made and then reported failed is a new request (its
            # old key would give back the failed one); one it never accepted keeps its key.
            count = failed.filter(reference="").update(
                state=Refund.State.PENDING, attempts=0, next_attempt_at=now + first_check()
            ) or failed.exclude(reference="").update(
                state=Refund.State.PENDING,
                attempts=0,
                next_attempt_at=now + first_check(),
                reference="",
                key=f"refund-{uuid.uuid4().hex}",
            )
            task, name = tasks.send_refund, f"refund:{target.pk}"
        elif isinstance(target, Payout):
            count = Payout.objects.filter(
                pk=target.pk, state=Payout.State.IN_TRANSIT, stuck=True
            ).update(stuck=False, attempts=0, next_attempt_at=now + first_check())
            task, name = tasks.send_payout, f"payout:{target.pk}"
        else:
            count = Payment.objects.filter(pk=target.pk, state__in=Payment.LIVE, stuck=True).update(
                stuck=False, checks=0, next_check_at=now
            )
            task, name = tasks.check_payment, f"payment:{target.pk}"
        if not count:
            raise ValidationError(_("This is not waiting for staff."), code="state")
        record_staff_action(by, "payments.retry", name, reason="")
        enqueue_on_commit(task, target.pk)
