"""What a provider tells the platform besides a payment's state: refunds made or failed at
the provider (one made in its dashboard, say), chargebacks, reversed transfers, a mentor's
bank refusing money, and payout accounts that changed. Each is taken as a trigger: the
platform asks the provider for the object's current state, then acts on that. See
payments.domain for the lock order."""

import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.payments import providers
from mentor247.payments.domain.payouts import pause_payout_account, update_payout_account
from mentor247.payments.domain.settlement import lock_booking
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
    Payout,
    PayoutAccount,
    Refund,
)
from mentor247.payments.notify import tell_refund
from mentor247.payments.providers.base import Event

Kind = LedgerAccount.Kind
TX = LedgerTransaction.Kind


def act_on(provider: str, event: Event) -> None:
    """Acts on a verified event other than a payment's state (checkout.handle_event takes
    those). Raises ProviderError when the provider cannot be asked (the event is then
    delivered again)."""
    if event.kind == Event.REFUNDS:
        payment = Payment.objects.filter(provider=provider, reference=event.reference).first()
        if payment is not None:
            sync_refunds(payment)
    elif event.kind == Event.DISPUTE:
        sync_dispute(provider, event.reference)
    elif event.kind == Event.TRANSFER:
        sync_transfer(provider, event.reference)
    elif event.kind == Event.ACCOUNT:
        update_payout_account(provider, event.reference, details_changed=True)
    elif event.kind == Event.PAYOUT_FAILED:
        account = PayoutAccount.objects.filter(provider=provider, reference=event.reference)
        if found := account.first():
            pause_payout_account(found.mentor_id)


def _give_back(payment: Payment, amount: int, *, key: str) -> None:
    """The ledger's side of money that went back to the mentee's card outside the
    platform's own refunds (a refund in the provider's dashboard, a chargeback lost): out of
    the engagement's escrow as far as it holds, the rest borne by the platform (the mentor
    keeps what was already released for sessions held)."""
    escrow = escrow_of(payment.engagement, payment.currency)
    from_escrow = min(amount, max(balance(escrow), 0))
    legs = [
        Leg(escrow, -from_escrow),
        Leg(platform_account(Kind.REVENUE, payment.currency), -(amount - from_escrow)),
        Leg(platform_account(Kind.REFUNDED, payment.currency), amount),
    ]
    post(
        TX.REFUND,
        [leg for leg in legs if leg.amount],
        key=key,
        booking=payment.booking,
        payment=payment,
    )


def sync_refunds(payment: Payment) -> list[Refund]:
    """Brings the payment's refunds to the provider's list: a refund the provider made that
    the platform did not ask for (in its dashboard) is recorded, its money taken out of the
    escrow (see _give_back) and the mentee told; one of the platform's that failed after it
    was sent is marked failed for staff (the platform still owes that money: staff send it
    again). Returns the refunds it recorded or marked. Locks the payment."""
    found = providers.get(payment.provider).list_refunds(payment.reference)
    changed = []
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        known = {refund.reference: refund for refund in payment.refunds.exclude(reference="")}
        for made in found:
            refund = known.get(made.reference)
            if refund is None and made.made is not False:
                refund = Refund.objects.create(
                    payment=payment,
                    booking_id=payment.booking_id,
                    amount=made.amount,
                    reason=_("Refunded at the payment provider."),
                    key=f"provider-{uuid.uuid4().hex}",
                    reference=made.reference,
                    state=Refund.State.SENT,
                    created_at=timezone.now(),
                    sent_at=timezone.now(),
                )
                _give_back(payment, made.amount, key=f"refund:{refund.pk}")
                tell_refund(refund)
                changed.append(refund)
            elif refund is not None and made.made is False and refund.state == Refund.State.SENT:
                Refund.objects.filter(pk=refund.pk).update(
                    state=Refund.State.FAILED, message=made.message[:500] or _("failed")
                )
                changed.append(refund)
    return changed


def sync_dispute(provider: str, reference: str) -> Dispute | None:
    """A chargeback as the provider has it now. Opened: a Dispute holds every session of
    the engagement (none is released while it is open). Won: the sessions settle as usual.
    Lost: the bank gave the disputed amount back to the mentee (see _give_back). Returns
    the dispute, or None for a payment the platform does not know. Locks the booking."""
    found = providers.get(provider).fetch_dispute(reference)
    payment = Payment.objects.filter(provider=provider, reference=found.payment).first()
    if payment is None:
        return None
    with transaction.atomic():
        lock_booking(payment.booking_id)
        dispute = Dispute.objects.select_for_update().filter(booking_id=payment.booking_id).first()
        now = timezone.now()
        if dispute is None:
            dispute = Dispute.objects.create(
                booking_id=payment.booking_id,
                reason=_("The mentee's bank disputes the payment."),
                opened_at=now,
                provider_reference=found.reference,
                amount=found.amount,
            )
        elif not dispute.provider_reference:  # the mentee's own dispute, now at the bank too
            dispute.provider_reference, dispute.amount = found.reference, found.amount
            dispute.state, dispute.decided_at = Dispute.State.OPEN, None
            dispute.save(update_fields=["provider_reference", "amount", "state", "decided_at"])
        if found.won is None or dispute.state != Dispute.State.OPEN:
            return dispute
        if found.won:
            dispute.state = Dispute.State.RELEASED
            dispute.decision = _("The bank decided for the platform: the payment stands.")
        else:
            _give_back(payment, found.amount, key=f"chargeback:{found.reference}")
            dispute.state = Dispute.State.REFUNDED
            dispute.decision = _("The bank gave the payment back to the mentee.")
        dispute.decided_at = now
        dispute.save(update_fields=["state", "decision", "decided_at"])
        return dispute


def sync_transfer(provider: str, reference: str) -> Payout | None:
    """A transfer of a paid payout that the provider reversed (in part or whole): what was
    reversed is the mentor's to be paid again (back to payable), and a payout reversed in
    whole failed. Returns the payout, or None for a transfer the platform does not know.
    Locks the payout."""
    transfer = providers.get(provider).fetch_transfer(reference)
    found = Payout.objects.filter(reference=reference)
    if transfer.payout.isdigit():
        found = Payout.objects.filter(Q(reference=reference) | Q(pk=int(transfer.payout)))
    payout = found.select_related("mentor").first()
    if payout is None or transfer.paid is not False:
        return payout
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout.pk)
        amount = min(transfer.reversed_amount or payout.amount, payout.amount)
        if payout.state != Payout.State.PAID:
            return payout
        post(
            TX.PAYOUT_FAILED,
            [
                Leg(mentor_account(payout.mentor, Kind.PAID_OUT, payout.currency), -amount),
                Leg(mentor_account(payout.mentor, Kind.PAYABLE, payout.currency), amount),
            ],
            key=f"payout-reversed:{transfer.reference}",
        )
        payout.message = transfer.message[:500]
        if amount == payout.amount:
            payout.state = Payout.State.FAILED
        payout.save(update_fields=["state", "message"])
        return payout
