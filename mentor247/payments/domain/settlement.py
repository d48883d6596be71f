"""Where each session's money goes after it: released to the mentor, refunded to the
mentee, or held by a dispute until staff decide. See payments.domain for the lock order."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.domain import record_staff_action
from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.lib.tasks import enqueue_on_commit
from mentor247.payments import rules
from mentor247.payments.domain.checkout import refund_payment
from mentor247.payments.ledger import (
    Leg,
    balance,
    escrow_of,
    mentor_account,
    platform_account,
    post,
)
from mentor247.payments.models import (
    Dispute,
    LedgerAccount,
    LedgerTransaction,
    Payment,
    Refund,
    Settlement,
)
from mentor247.rooms.models import Room

State = Payment.State
Kind = LedgerAccount.Kind
TX = LedgerTransaction.Kind


def settle_session(booking_id: int) -> Settlement | None:
    """Moves one session's share of its engagement's escrow where its outcome sends it
    (payments.rules.session_outcome): a refund to the mentee at once, a release to the mentor
    (less the platform's fee, at the rate of the purchase) once PAYMENTS_DISPUTE_HOURS have
    passed since its end and no dispute of the mentee's is open. Sessions settle one share
    each, in the order they settle, and never for more than the escrow still holds. Safe to
    run at any time and any number of times: a session is settled once (its Settlement row).
    Returns the settlement it made, or None. Locks the booking, then as refund_payment and
    the ledger do."""
    with transaction.atomic():
        booking = _lock_booking(booking_id)
        if Dispute.objects.filter(booking=booking, state=Dispute.State.OPEN).exists():
            return None  # staff decide
        outcome = _outcome(booking)
        if outcome is None or (outcome == rules.RELEASED and _in_window(booking)):
            return None
        return _settle(booking, outcome)


def _outcome(booking: Booking) -> str | None:
    """Where the session's money goes (payments.rules), from the booking and its room."""
    no_show = Room.objects.filter(booking=booking).values_list("no_show", flat=True).first()
    return rules.session_outcome(booking.status, forfeited=booking.forfeited, no_show=no_show or "")


def _in_window(booking: Booking) -> bool:
    """Whether the mentee may still dispute the session: PAYMENTS_DISPUTE_HOURS after it."""
    return timezone.now() < booking.ends_at + timedelta(hours=settings.PAYMENTS_DISPUTE_HOURS)


def _lock_booking(booking_id: int) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("engagement")
        .get(pk=booking_id)
    )


def _settle(booking: Booking, outcome: str, *, reason: str = "") -> Settlement | None:
    """Moves the session's share (the booking locked by the caller); None when it is
    settled already, or there is no paid money to move."""
    if Settlement.objects.filter(booking=booking).exists():
        return None
    engagement = booking.engagement
    payment = Payment.objects.filter(engagement=engagement, state=State.SUCCEEDED).first()
    if payment is None:
        return None  # free, or never paid: nothing to move
    settled = Settlement.objects.filter(booking__engagement=engagement).count()
    escrow = escrow_of(engagement, payment.currency)
    index = min(settled, engagement.credits - 1)
    share = min(rules.session_share(engagement.price, engagement.credits, index), balance(escrow))
    fee = 0
    if share and outcome == rules.RELEASED:
        fee = rules.platform_fee(share, engagement.platform_fee_rate)
        legs = [
            Leg(escrow, -share),
            Leg(mentor_account(engagement.mentor, Kind.PAYABLE, payment.currency), share - fee),
            Leg(platform_account(Kind.REVENUE, payment.currency), fee),
        ]
        post(
            TX.RELEASE,
            [leg for leg in legs if leg.amount],
            key=f"release:{booking.pk}",
            booking=booking,
            payment=payment,
        )
        from mentor247.payments.tasks import run_payouts

        weekly = rules.next_payout_at(
            timezone.now(), weekday=settings.PAYOUT_WEEKDAY, hour=settings.PAYOUT_HOUR
        )
        enqueue_on_commit(run_payouts, run_after=weekly)
    elif share:
        cancelled = booking.status == Booking.Status.CANCELLED
        if not reason:
            reason = (
                _("The session was cancelled.")
                if cancelled
                else _("The mentor did not come to the session.")
            )
        refund_payment(payment, share, reason=reason)
    if outcome == rules.REFUNDED and booking.status == Booking.Status.CANCELLED:
        bookings.give_up_credit(engagement.pk)
    return Settlement.objects.create(
        booking=booking, outcome=outcome, amount=share, fee=fee, created_at=timezone.now()
    )


# Disputes and staff -------------------------------------------------------------------------


def can_dispute(booking: Booking) -> bool:
    """Whether the mentee may still object to paying for `booking`: a paid session that
    would be released to the mentor, within PAYMENTS_DISPUTE_HOURS of its end, not yet
    settled or disputed."""
    return (
        _outcome(booking) == rules.RELEASED
        and _in_window(booking)
        and booking.engagement.price > 0
        and not Settlement.objects.filter(booking=booking).exists()
        and not Dispute.objects.filter(booking=booking).exists()
    )


def open_dispute(booking: Booking, mentee: User, *, reason: str) -> Dispute:
    """The mentee objects to paying for the session: its release waits for staff. Raises
    ValidationError when it can no longer be disputed. Locks the booking."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what went wrong.")})
    with transaction.atomic():
        booking = _lock_booking(booking.pk)
        if booking.mentee_id != mentee.pk or not can_dispute(booking):
            raise ValidationError(
                _("This session can no longer be disputed: its money has been settled."),
                code="late",
            )
        return Dispute.objects.create(
            booking=booking, reason=reason[:2000], opened_at=timezone.now()
        )


def decide_dispute(dispute: Dispute, *, refund: bool, by: User, reason: str) -> Dispute:
    """Staff decide an open dispute: the session's share goes back to the mentee, or to the
    mentor (less the fee), at once. Recorded in the audit log. Raises ValidationError.
    Locks the booking, then the dispute."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decide so.")})
    with transaction.atomic():
        booking = _lock_booking(dispute.booking_id)
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if dispute.state != Dispute.State.OPEN:
            raise ValidationError(_("This dispute has been decided already."), code="decided")
        outcome = rules.REFUNDED if refund else rules.RELEASED
        _settle(booking, outcome, reason=reason)
        dispute.state = Dispute.State.REFUNDED if refund else Dispute.State.RELEASED
        dispute.decided_by, dispute.decision, dispute.decided_at = by, reason, timezone.now()
        dispute.save(update_fields=["state", "decided_by", "decision", "decided_at"])
        record_staff_action(
            by,
            "payments.decide_dispute",
            f"booking:{booking.pk}",
            reason=reason,
            outcome=outcome,
        )
        return dispute


def refund_by_staff(payment: Payment, amount: int, *, by: User, reason: str) -> Refund:
    """A refund staff decide, of at most what is left of the payment; recorded in the audit
    log with the reason. Raises ValidationError."""
    with transaction.atomic():
        refund = refund_payment(payment, amount, reason=reason, by=by)
        record_staff_action(
            by,
            "payments.refund",
            f"payment:{payment.pk}",
            reason=refund.reason,
            amount=amount,
            currency=payment.currency,
        )
        return refund


def settle_due_sessions() -> int:
    """The sweep: settles every paid session whose outcome is known and due, then gives back
    what expired packages hold for sessions never booked. Returns how many sessions it
    settled."""
    window = timedelta(hours=settings.PAYMENTS_DISPUTE_HOURS)
    due = (
        Booking.objects.filter(settlement__isnull=True, engagement__payments__state=State.SUCCEEDED)
        .filter(
            Q(status__in=(Booking.Status.NO_SHOW, Booking.Status.CANCELLED))
            | Q(status=Booking.Status.COMPLETED, ends_at__lte=timezone.now() - window)
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    settled = sum(settle_session(pk) is not None for pk in list(due))
    refund_unbooked_credits()
    return settled


def refund_unbooked_credits() -> int:
    """Gives back to the mentee what an engagement's escrow still holds once its sessions
    can no longer be booked (its credits expired) and every session it had is settled: the
    money of sessions never booked. Returns how many engagements it refunded."""
    waiting = Booking.objects.filter(
        Q(status__in=(*Booking.ACTIVE, Booking.Status.COMPLETED, Booking.Status.NO_SHOW))
        | Q(status=Booking.Status.CANCELLED, forfeited=True),
        settlement__isnull=True,
    )
    expired = (
        Payment.objects.filter(state=State.SUCCEEDED, engagement__expires_at__lte=timezone.now())
        .exclude(engagement__bookings__in=waiting)
        .select_related("engagement")
    )
    refunded = 0
    for payment in expired:
        held = balance(escrow_of(payment.engagement, payment.currency))
        if held <= 0:
            continue
        try:
            refund_payment(
                payment,
                held,
                reason=_("Sessions not booked before the package's time ran out."),
            )
        except ValidationError:
            continue  # given back at this moment by another run
        refunded += 1
    return refunded
