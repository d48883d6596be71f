"""Checkout: payment attempts, the provider's word on them (by fetch or webhook), and
refunds. See payments.domain for the lock order."""

import uuid
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.lib.tasks import enqueue_on_commit
from mentor247.payments import providers
from mentor247.payments.domain.retry import MAX_ATTEMPTS, backoff, first_check
from mentor247.payments.ledger import (
    LedgerError,
    Leg,
    escrow_of,
    platform_account,
    post,
)
from mentor247.payments.models import (
    LedgerAccount,
    LedgerTransaction,
    Payment,
    Refund,
    WebhookEvent,
)
from mentor247.payments.notify import tell_refund
from mentor247.payments.providers.base import Charge, Event, ProviderError

State = Payment.State
Kind = LedgerAccount.Kind
TX = LedgerTransaction.Kind


def _not_held() -> ValidationError:
    return ValidationError(
        _("This time is no longer held for you. Please choose a time again."), code="not_held"
    )


def start_checkout(
    booking: Booking,
    mentee: User,
    *,
    idempotency_key: str,
    return_url: Callable[[Payment], str],
) -> tuple[Payment, Charge]:
    """Starts paying for `mentee`'s held `booking`: a payment attempt (the one already made
    with the same key, or already live for the booking, if there is one) and the provider's
    charge, whose `next_url` the mentee goes to. Raises ValidationError when the time is no
    longer held, ProviderError when the provider does not answer (the attempt stays, and the
    same key tries again). Locks the booking."""
    payment = Payment.objects.filter(mentee=mentee, idempotency_key=idempotency_key).first()
    if payment is None:
        payment = _new_attempt(booking, mentee, idempotency_key)
    if payment.state in Payment.OVER:
        return payment, Charge(payment.reference, payment.state, message=payment.message)
    engagement = payment.engagement
    description = _("%(offering)s with %(mentor)s") % {
        "offering": engagement.offering.title,
        "mentor": engagement.mentor.user.name,
    }
    charge = providers.get(payment.provider).start_payment(
        payment, description=description, return_url=return_url(payment)
    )
    if not payment.reference:
        Payment.objects.filter(pk=payment.pk, reference="").update(reference=charge.reference)
        payment.reference = charge.reference
    return payment, charge


def _new_attempt(booking: Booking, mentee: User, idempotency_key: str) -> Payment:
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("engagement")
            .get(pk=booking.pk, mentee=mentee)
        )
        held = booking.status in Booking.HOLDING and (
            booking.hold_expires_at is None or booking.hold_expires_at > timezone.now()
        )
        if not held:
            raise _not_held()
        live = booking.payments.filter(state__in=(*Payment.LIVE, State.SUCCEEDED)).first()
        if live is not None:
            return live  # paying in another tab: the same attempt
        engagement = booking.engagement
        payment = Payment.objects.create(
            booking=booking,
            engagement=engagement,
            mentee=mentee,
            amount=engagement.price,
            currency=engagement.currency,
            provider=providers.default().name,
            idempotency_key=idempotency_key,
            provider_key=f"payment-{uuid.uuid4().hex}",
            created_at=timezone.now(),
            next_check_at=timezone.now() + first_check(),
        )
        bookings.await_payment(booking)
        return payment


def client_secret(payment: Payment) -> str:
    """What the provider's card form in the mentee's browser needs (see Provider)."""
    return providers.get(payment.provider).client_secret(payment.reference)


def settle_payment(payment_id: int) -> Payment:
    """Brings the payment to the provider's word on it: paid money goes into the
    engagement's escrow and confirms the booking (or, when its time was taken meanwhile,
    goes back to the mentee in full); a failed payment releases the held time. Safe to call
    any number of times: what is settled stays settled. Locks the payment."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.state in Payment.OVER or not payment.reference:
        return payment
    charge = providers.get(payment.provider).fetch_payment(payment.reference)
    return _apply(payment_id, charge)


def _apply(payment_id: int, charge: Charge) -> Payment:
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if charge.state == payment.state or payment.state == State.SUCCEEDED:
            return payment
        if charge.state == State.SUCCEEDED:
            # Also for an attempt the platform had ended (declined, given up): the provider
            # took the money anyway (a second card in the same form, a cancel that came too
            # late), so it is recorded, and it confirms the booking or goes back.
            _paid(payment, charge)
        elif payment.state in Payment.OVER:
            return payment
        elif charge.state in (State.FAILED, State.CANCELLED):
            payment.state, payment.message = charge.state, charge.message[:500]
            payment.settled_at = timezone.now()
            payment.save(update_fields=["state", "message", "settled_at"])
            bookings.release_hold(payment.booking_id)
            # A provider may keep a declined payment open for another card: the platform
            # has ended this attempt, so the provider must not take money for it later.
            from mentor247.payments.tasks import give_up_payment

            enqueue_on_commit(give_up_payment, payment.pk)
        elif charge.state == State.REQUIRES_ACTION:
            payment.state = State.REQUIRES_ACTION
            payment.save(update_fields=["state"])
        return payment


def _paid(payment: Payment, charge: Charge) -> None:
    """The provider captured `payment` (locked by the caller). The booking is confirmed
    first, under the people's and the booking's locks alone; then the ledger takes the money
    into escrow (its platform-wide accounts locked only until the commit). A booking that
    can no longer be confirmed (cancelled, its time taken or passed, the mentor unlisted)
    gets all of the money back, and the mentee an email saying why. bookings.Busy is raised
    on: nothing is written, and the payment is settled again later."""
    payment.state, payment.settled_at, payment.message = State.SUCCEEDED, timezone.now(), ""
    payment.charge_reference = charge.charge or charge.reference
    payment.save(update_fields=["state", "settled_at", "message", "charge_reference"])
    why = ""
    try:
        with transaction.atomic():
            bookings.confirm_booking(payment.booking_id)
    except bookings.Conflict as conflict:
        why = conflict.message
    except ValidationError:
        why = _("The booking had been cancelled before the payment arrived.")
    currency = payment.currency
    post(
        TX.PAYMENT,
        [
            Leg(platform_account(Kind.RECEIVED, currency), -payment.amount),
            Leg(escrow_of(payment.engagement, currency), payment.amount),
        ],
        key=f"payment:{payment.pk}",
        booking=payment.booking,
        payment=payment,
    )
    if charge.fee:
        post(
            TX.FEE,
            [
                Leg(platform_account(Kind.REVENUE, currency), -charge.fee),
                Leg(platform_account(Kind.PROVIDER_FEES, currency), charge.fee),
            ],
            key=f"fee:{payment.pk}",
            payment=payment,
        )
    if why:
        # The message tells the mentee on the payment's page; the refund's reason, by email.
        reason = _("The session could not be booked: %(why)s") % {"why": why}
        Payment.objects.filter(pk=payment.pk).update(message=reason[:500])
        refund_payment(payment, payment.amount, reason=reason)


def give_up_payment(payment_id: int) -> Payment:
    """Asks the provider to cancel a payment the platform no longer wants (its hold was
    cancelled or ran out, or the attempt was declined), then settles it from the provider's
    answer: cancelled, or, when the provider had captured it already, paid and then refunded
    (or confirmed, if its time can still be had). Raises ProviderError."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.state == State.SUCCEEDED:
        return payment
    if not payment.reference:  # the provider never made its side: nothing to stop there
        message = _("This payment was stopped: its booking is no longer held.")
        return _apply(payment_id, Charge("", State.CANCELLED, message=message))
    charge = providers.get(payment.provider).cancel_payment(payment.reference)
    return _apply(payment_id, charge)


def refund_payment(
    payment: Payment,
    amount: int,
    *,
    reason: str,
    by: User | None = None,
    booking: Booking | None = None,
) -> Refund:
    """Gives `amount` of `payment` back to the mentee, for `booking` (the session it gives
    back; the payment's own booking by default): out of the engagement's escrow in the
    ledger at once, then to the card through the provider (send_refund, in the background),
    and the mentee is emailed why. A refund can never exceed what the escrow still holds of
    the payment. Raises ValidationError. Locks the payment, then the ledger's accounts."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the money is given back."), code="reason")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.state != State.SUCCEEDED:
            raise ValidationError(_("Only a payment that was made can be refunded."), code="state")
        given = sum(payment.refunds.values_list("amount", flat=True))
        if not 0 < amount <= payment.amount - given:
            raise ValidationError(
                _("A refund can be at most what is left of the payment."), code="amount"
            )
        refund = Refund.objects.create(
            payment=payment,
            booking_id=booking.pk if booking is not None else payment.booking_id,
            amount=amount,
            reason=reason[:500],
            by=by,
            key=f"refund-{uuid.uuid4().hex}",
            created_at=timezone.now(),
            next_attempt_at=timezone.now() + first_check(),  # if the task below is lost
        )
        try:
            post(
                TX.REFUND,
                [
                    Leg(escrow_of(payment.engagement, payment.currency), -amount),
                    Leg(platform_account(Kind.REFUNDED, payment.currency), amount),
                ],
                key=f"refund:{refund.pk}",
                booking=refund.booking,
                payment=payment,
            )
        except LedgerError as error:
            raise ValidationError(
                _("The escrow no longer holds that much of this payment."), code="escrow"
            ) from error
        # Imported here: payments.tasks imports the domain (a task runs a domain function).
        from mentor247.payments.tasks import send_refund

        enqueue_on_commit(send_refund, refund.pk)
        tell_refund(refund)
        return refund


def send_refund(refund_id: int) -> Refund:
    """Asks the provider to make the refund, with its key (so asking twice gives once).
    A provider that refuses or does not answer is asked again by the reconciliation sweep
    after retry.backoff(); after retry.MAX_ATTEMPTS tries the refund is failed and waits for
    staff (who can set it going again)."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.state != Refund.State.PENDING:
        return refund
    try:
        reference = providers.get(refund.payment.provider).refund(
            refund.payment, refund.amount, key=refund.key
        )
    except ProviderError as error:
        attempts = refund.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        Refund.objects.filter(pk=refund.pk, state=Refund.State.PENDING).update(
            attempts=attempts,
            state=Refund.State.FAILED if failed else Refund.State.PENDING,
            next_attempt_at=None if failed else timezone.now() + backoff(attempts),
            message=str(error)[:500],
        )
        refund.refresh_from_db()
        return refund
    Refund.objects.filter(pk=refund.pk, state=Refund.State.PENDING).update(
        state=Refund.State.SENT, reference=reference, sent_at=timezone.now(), next_attempt_at=None
    )
    refund.refresh_from_db()
    return refund


def handle_event(provider: str, event: Event) -> Payment | None:
    """A verified webhook event, taken as a trigger: the payment it names is settled from the
    provider's own state (fetched first, outside the transaction), and the event is recorded
    by its id in the same transaction, so a replay does nothing more and a failure leaves the
    event to be delivered again. Events about refunds, chargebacks, transfers and payout
    accounts go to payments.domain.provider_events, the same way."""
    if WebhookEvent.objects.filter(provider=provider, event_id=event.id).exists():
        return None
    if event.kind != Event.PAYMENT:
        # Imported here: provider_events imports settlement, which imports this module.
        from mentor247.payments.domain.provider_events import act_on

        with transaction.atomic():
            _record, created = WebhookEvent.objects.get_or_create(
                provider=provider, event_id=event.id, defaults={"received_at": timezone.now()}
            )
            if created and event.kind and event.reference:
                act_on(provider, event)
        return None
    payment = (
        Payment.objects.filter(provider=provider, reference=event.reference).first()
        if event.reference
        else None
    )
    charge = providers.get(provider).fetch_payment(event.reference) if payment else None
    with transaction.atomic():
        _record, created = WebhookEvent.objects.get_or_create(
            provider=provider, event_id=event.id, defaults={"received_at": timezone.now()}
        )
        if not created or payment is None or charge is None:
            return None
        return _apply(payment.pk, charge)
