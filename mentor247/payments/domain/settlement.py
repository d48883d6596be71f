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
from mentor247.bookings.models import Booking, Engagement
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
    DueSession,
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
        booking = lock_booking(booking_id)
        if Dispute.objects.filter(booking=booking, state=Dispute.State.OPEN).exists():
            return None  # staff decide
        if held_by_chargeback(booking.engagement_id):
            return None  # the mentee's bank decides
        outcome = _outcome(booking)
        if outcome is None or (outcome == rules.RELEASED and _in_window(booking)):
            return None
        settlement = _settle(booking, outcome)
        end_engagement(booking.engagement_id)  # when that was its last session
        return settlement


def _outcome(booking: Booking) -> str | None:
    """Where the session's money goes (payments.rules), from the booking and its room."""
    no_show = Room.objects.filter(booking=booking).values_list("no_show", flat=True).first()
    return rules.session_outcome(booking.status, forfeited=booking.forfeited, no_show=no_show or "")


def _in_window(booking: Booking) -> bool:
    """Whether the mentee may still dispute the session: PAYMENTS_DISPUTE_HOURS after it."""
    return timezone.now() < booking.ends_at + timedelta(hours=settings.PAYMENTS_DISPUTE_HOURS)


def lock_booking(booking_id: int) -> Booking:
    """The booking, locked (with its engagement read)."""
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
    DueSession.objects.filter(booking=booking).delete()
    engagement = booking.engagement
    payment = paid_payment(engagement)
    if payment is None:
        return None  # free, or never paid: nothing to move
    settled = Settlement.objects.filter(booking__engagement=engagement).count()
    escrow = escrow_of(engagement, payment.currency)
    index = min(settled, engagement.credits - 1)
    share = min(rules.session_share(engagement.price, engagement.credits, index), balance(escrow))
    fee = 0
    if share and outcome == rules.RELEASED:
        # The fee of each session is its share of the fee advertised for the whole
        # purchase, so a package's fees add up to exactly that.
        whole_fee = rules.platform_fee(engagement.price, engagement.platform_fee_rate)
        fee = min(rules.session_share(whole_fee, engagement.credits, index), share)
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
    elif share:
        cancelled = booking.status == Booking.Status.CANCELLED
        if not reason:
            reason = (
                _("The session was cancelled.")
                if cancelled
                else _("The mentor did not come to the session.")
            )
        refund_payment(payment, share, reason=reason, booking=booking)
    if outcome == rules.REFUNDED and booking.status == Booking.Status.CANCELLED:
        bookings.give_up_credit(engagement.pk)
    return Settlement.objects.create(
        booking=booking, outcome=outcome, amount=share, fee=fee, created_at=timezone.now()
    )


def paid_payment(engagement: Engagement) -> Payment | None:
    """The payment that bought `engagement`: the first paid one not given back in full (a
    second capture the provider made anyway was refunded whole when it arrived)."""
    for payment in Payment.objects.filter(engagement=engagement, state=State.SUCCEEDED).order_by(
        "settled_at", "pk"
    ):
        given = sum(payment.refunds.values_list("amount", flat=True))
        if given < payment.amount:
            return payment
    return None


def held_by_chargeback(engagement_id: int) -> bool:
    """Whether an open chargeback holds the engagement's sessions."""
    return Dispute.objects.filter(
        ~Q(provider_reference=""),
        booking__engagement_id=engagement_id,
        state=Dispute.State.OPEN,
    ).exists()


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
        booking = lock_booking(booking.pk)
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
        booking = lock_booking(dispute.booking_id)
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


def settle_due_sessions(*, limit: int = 500) -> int:
    """The sweep: settles up to `limit` paid sessions whose outcome is known and due, read
    from DueSession (the open ones alone). Returns how many it settled."""
    window = timedelta(hours=settings.PAYMENTS_DISPUTE_HOURS)
    due = _open_sessions(
        "pk",
        Q(status__in=(Booking.Status.NO_SHOW, Booking.Status.CANCELLED))
        | Q(status=Booking.Status.COMPLETED, ends_at__lte=timezone.now() - window),
    )
    return sum(settle_session(pk) is not None for pk in sorted(due)[:limit])


def _open_sessions(field: str, condition: Q | None = None) -> list[int]:
    """`field` of the bookings still to settle (DueSession) that meet `condition`. Their ids
    are read first, then the bookings by primary key: a join would let the planner walk
    every booking ever made."""
    open_ids = list(DueSession.objects.values_list("booking_id", flat=True))
    found: list[int] = []
    for start in range(0, len(open_ids), 500):
        rows = Booking.objects.filter(pk__in=open_ids[start : start + 500])
        if condition is not None:
            rows = rows.filter(condition)
        found += rows.order_by().values_list(field, flat=True)
    return found


def end_engagements(*, limit: int = 500) -> int:
    """The sweep: ends up to `limit` engagements whose sessions can no longer be booked (their
    credits expired) and whose every session is settled, giving back what the escrow still
    holds (the money of sessions never booked) and counting those credits as given back.
    Returns how many it ended."""
    waiting = set(_open_sessions("engagement_id"))
    expired = (
        Engagement.objects.filter(status=Engagement.Status.ACTIVE, expires_at__lte=timezone.now())
        .order_by("expires_at")
        .values_list("pk", flat=True)
    )
    ended = 0
    for pk in expired[: limit + len(waiting)]:
        if pk not in waiting and ended < limit:
            ended += end_engagement(pk)
    return ended


def end_engagement(engagement_id: int) -> bool:
    """Ends one engagement if it may end now: past its expiry, or every credit used, with
    no session still to take place or to settle. What its escrow still holds goes back to
    the mentee. Whether it ended. Locks the engagement, then as refund_payment does."""
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement_id)
        if engagement.status != Engagement.Status.ACTIVE:
            return False
        open_ = engagement.bookings.filter(
            Q(status__in=Booking.ACTIVE) | Q(due__isnull=False)
        ).exists()
        left = bookings.credits_left(engagement)
        expired = engagement.expires_at is not None and engagement.expires_at <= timezone.now()
        if open_ or not (expired or left == 0):
            return False
        payment = paid_payment(engagement)
        if payment is not None:
            held = balance(escrow_of(engagement, payment.currency))
            if held > 0:
                refund_payment(
                    payment,
                    held,
                    reason=_("Sessions not booked before the package's time ran out."),
                )
        bookings.end_engagement(engagement.pk, given_up=left)
        return True
