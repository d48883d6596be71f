"""The only writers of payments, refunds and the ledger's movements for them.

Lock order, the same everywhere: the people and the mentor's profile (bookings.domain), the
booking, the payment, then the ledger's accounts (payments.ledger). Calls to a provider are
made outside transactions, each with an idempotency key stored before the call.
"""

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.lib.money import minor_digits
from mentor247.lib.tasks import enqueue_on_commit
from mentor247.mentors.domain import lock_profile
from mentor247.mentors.models import MentorProfile
from mentor247.payments import providers, rules
from mentor247.payments.ledger import (
    LedgerError,
    Leg,
    balance,
    balances,
    escrow_of,
    mentor_account,
    platform_account,
    post,
)
from mentor247.payments.models import (
    LedgerAccount,
    LedgerTransaction,
    Payment,
    Payout,
    PayoutAccount,
    Refund,
    Settlement,
    WebhookEvent,
)
from mentor247.payments.providers.base import Charge, Event, ProviderError
from mentor247.rooms.models import Room

State = Payment.State
Kind = LedgerAccount.Kind
TX = LedgerTransaction.Kind
MAX_REFUND_ATTEMPTS = 8


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
        )
        bookings.await_payment(booking)
        return payment


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
        if payment.state in Payment.OVER or charge.state == payment.state:
            return payment
        if charge.state == State.SUCCEEDED:
            _paid(payment, charge)
        elif charge.state in (State.FAILED, State.CANCELLED):
            payment.state, payment.message = charge.state, charge.message[:500]
            payment.settled_at = timezone.now()
            payment.save(update_fields=["state", "message", "settled_at"])
            bookings.release_hold(payment.booking_id)
        elif charge.state == State.REQUIRES_ACTION:
            payment.state = State.REQUIRES_ACTION
            payment.save(update_fields=["state"])
        return payment


def _paid(payment: Payment, charge: Charge) -> None:
    payment.state, payment.settled_at = State.SUCCEEDED, timezone.now()
    payment.save(update_fields=["state", "settled_at"])
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
    try:
        with transaction.atomic():
            bookings.confirm_booking(payment.booking_id)
    except bookings.Conflict:
        # Paid after the hold ran out, and the time is someone else's now: all of it back.
        refund_payment(
            payment,
            payment.amount,
            reason=_("The time was no longer free when the payment arrived."),
        )


def refund_payment(payment: Payment, amount: int, *, reason: str, by: User | None = None) -> Refund:
    """Gives `amount` of `payment` back to the mentee: out of the engagement's escrow in the
    ledger at once, then to the card through the provider (send_refund, in the background).
    A refund can never exceed what the escrow still holds of the payment. Raises
    ValidationError. Locks the payment, then the ledger's accounts."""
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
            amount=amount,
            reason=reason[:500],
            by=by,
            key=f"refund-{uuid.uuid4().hex}",
            created_at=timezone.now(),
        )
        try:
            post(
                TX.REFUND,
                [
                    Leg(escrow_of(payment.engagement, payment.currency), -amount),
                    Leg(platform_account(Kind.REFUNDED, payment.currency), amount),
                ],
                key=f"refund:{refund.pk}",
                booking=payment.booking,
                payment=payment,
            )
        except LedgerError as error:
            raise ValidationError(
                _("The escrow no longer holds that much of this payment."), code="escrow"
            ) from error
        from mentor247.payments.tasks import send_refund

        enqueue_on_commit(send_refund, refund.pk)
        return refund


def send_refund(refund_id: int) -> Refund:
    """Asks the provider to make the refund, with its key (so asking twice gives once).
    A provider that does not answer is asked again later; after MAX_REFUND_ATTEMPTS the
    refund waits for staff."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.state != Refund.State.PENDING:
        return refund
    try:
        reference = providers.get(refund.payment.provider).refund(
            refund.payment, refund.amount, key=refund.key
        )
    except ProviderError:
        attempts = refund.attempts + 1
        state = Refund.State.FAILED if attempts >= MAX_REFUND_ATTEMPTS else Refund.State.PENDING
        Refund.objects.filter(pk=refund.pk, state=Refund.State.PENDING).update(
            attempts=attempts, state=state
        )
        refund.refresh_from_db()
        return refund
    Refund.objects.filter(pk=refund.pk, state=Refund.State.PENDING).update(
        state=Refund.State.SENT, reference=reference, sent_at=timezone.now()
    )
    refund.refresh_from_db()
    return refund


def handle_event(provider: str, event: Event) -> Payment | None:
    """A verified webhook event, taken as a trigger: the payment it names is settled from the
    provider's own state (fetched first, outside the transaction), and the event is recorded
    by its id in the same transaction, so a replay does nothing more and a failure leaves the
    event to be delivered again."""
    if WebhookEvent.objects.filter(provider=provider, event_id=event.id).exists():
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


def settle_session(booking_id: int) -> Settlement | None:
    """Moves one session's share of its engagement's escrow where its outcome sends it
    (payments.rules.session_outcome): a refund to the mentee at once, a release to the mentor
    (less the platform's fee, at the rate of the purchase) once PAYMENTS_DISPUTE_HOURS have
    passed since its end. Sessions settle one share each, in the order they settle, and never
    for more than the escrow still holds. Safe to run at any time and any number of times: a
    session is settled once (its Settlement row). Returns the settlement it made, or None.
    Locks the booking, then as refund_payment and the ledger do."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("engagement")
            .get(pk=booking_id)
        )
        if Settlement.objects.filter(booking=booking).exists():
            return None  # settled already
        no_show = Room.objects.filter(booking=booking).values_list("no_show", flat=True).first()
        outcome = rules.session_outcome(
            booking.status, forfeited=booking.forfeited, no_show=no_show or ""
        )
        window = timedelta(hours=settings.PAYMENTS_DISPUTE_HOURS)
        if outcome is None or (
            outcome == rules.RELEASED and timezone.now() < booking.ends_at + window
        ):
            return None
        engagement = booking.engagement
        payment = Payment.objects.filter(engagement=engagement, state=State.SUCCEEDED).first()
        if payment is None:
            return None  # free, or never paid: nothing to move
        settled = Settlement.objects.filter(booking__engagement=engagement).count()
        escrow = escrow_of(engagement, payment.currency)
        share = min(
            rules.session_share(
                engagement.price, engagement.credits, min(settled, engagement.credits - 1)
            ),
            balance(escrow),
        )
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
            refund_payment(payment, share, reason=_("The mentor did not come to the session."))
        return Settlement.objects.create(
            booking=booking,
            outcome=outcome,
            amount=share,
            fee=fee,
            created_at=timezone.now(),
        )


def settle_due_sessions() -> int:
    """The sweep: settles every paid session whose outcome is known and due. Returns how
    many it settled."""
    window = timedelta(hours=settings.PAYMENTS_DISPUTE_HOURS)
    due = (
        Booking.objects.filter(settlement__isnull=True, engagement__payments__state=State.SUCCEEDED)
        .filter(
            Q(status=Booking.Status.NO_SHOW)
            | Q(
                status__in=(Booking.Status.COMPLETED, Booking.Status.CANCELLED),
                ends_at__lte=timezone.now() - window,
            )
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    return sum(settle_session(pk) is not None for pk in list(due))


# Payouts -----------------------------------------------------------------------------------


def open_payout_account(mentor: MentorProfile) -> str:
    """Starts (or picks up) the mentor's payout account with the provider; the address
    where they give their details. Raises ProviderError."""
    provider = providers.default()
    reference, url = provider.open_payout_account(mentor)
    account = PayoutAccount.objects.filter(mentor=mentor).first()
    if account is None or (account.provider, account.reference) != (provider.name, reference):
        PayoutAccount.objects.update_or_create(
            mentor=mentor,
            defaults={
                "provider": provider.name,
                "reference": reference,
                "ready": False,
                "updated_at": timezone.now(),
            },
        )
    return url


def refresh_payout_account(mentor: MentorProfile) -> PayoutAccount | None:
    """The mentor's payout account, asked again of the provider while it is not ready."""
    account = PayoutAccount.objects.filter(mentor=mentor).first()
    if account is None or account.ready:
        return account
    if providers.get(account.provider).payout_account_ready(account.reference):
        PayoutAccount.objects.filter(pk=account.pk).update(ready=True, updated_at=timezone.now())
        account.ready = True
    return account


def payout_minimum(currency: str) -> int:
    return settings.PAYOUT_MINIMUM * 10 ** minor_digits(currency)


def start_payout(mentor: MentorProfile, currency: str, *, requested: bool) -> Payout:
    """Pays out all that is payable to `mentor` in `currency`: the ledger moves it to "in
    transit" at once, and the transfer is sent in the background (send_payout). Only a mentor
    in good standing with a ready payout account is paid; a suspended or removed mentor's
    balance waits for staff. A weekly run pays at least PAYOUT_MINIMUM; a mentor's request
    any amount. Raises ValidationError when there is nothing to pay. Locks the mentor (their
    person and profile rows), so two runs at once pay a balance once; then the ledger."""
    with transaction.atomic():
        mentor = lock_profile(mentor)
        if mentor.status != MentorProfile.Status.APPROVED:
            raise ValidationError(
                _("Your balance is held while your account is being reviewed."), code="held"
            )
        account = PayoutAccount.objects.filter(mentor=mentor, ready=True).first()
        if account is None:
            raise ValidationError(_("Set up your payout details first."), code="no_account")
        payable = mentor_account(mentor, Kind.PAYABLE, currency)
        available = balance(payable)
        if available <= 0 or (not requested and available < payout_minimum(currency)):
            raise ValidationError(_("There is no money available to pay out."), code="nothing")
        payout = Payout.objects.create(
            mentor=mentor,
            amount=available,
            currency=currency,
            requested=requested,
            key=f"payout-{uuid.uuid4().hex}",
            created_at=timezone.now(),
        )
        post(
            TX.PAYOUT,
            [
                Leg(payable, -available),
                Leg(mentor_account(mentor, Kind.IN_TRANSIT, currency), available),
            ],
            key=f"payout:{payout.pk}",
        )
        from mentor247.payments.tasks import send_payout

        enqueue_on_commit(send_payout, payout.pk)
        return payout


def send_payout(payout_id: int) -> Payout:
    """Asks the provider to make the transfer, with the payout's key (asked twice, paid
    once), and records its outcome: paid out, or back to payable when it failed. A provider
    that does not answer is asked again by the next run (run_payouts)."""
    payout = Payout.objects.select_related("mentor").get(pk=payout_id)
    if payout.state != Payout.State.IN_TRANSIT:
        return payout
    account = PayoutAccount.objects.get(mentor=payout.mentor)
    try:
        transfer = providers.get(account.provider).transfer(
            payout, account.reference, key=payout.key
        )
    except ProviderError:
        return payout
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.state != Payout.State.IN_TRANSIT or transfer.paid is None:
            if not payout.reference:
                Payout.objects.filter(pk=payout.pk).update(reference=transfer.reference)
            return payout
        in_transit = mentor_account(payout.mentor, Kind.IN_TRANSIT, payout.currency)
        if transfer.paid:
            paid_out = mentor_account(payout.mentor, Kind.PAID_OUT, payout.currency)
            post(
                TX.PAYOUT_PAID,
                [Leg(in_transit, -payout.amount), Leg(paid_out, payout.amount)],
                key=f"payout-paid:{payout.pk}",
            )
            payout.state = Payout.State.PAID
        else:
            payable = mentor_account(payout.mentor, Kind.PAYABLE, payout.currency)
            post(
                TX.PAYOUT_FAILED,
                [Leg(in_transit, -payout.amount), Leg(payable, payout.amount)],
                key=f"payout-failed:{payout.pk}",
            )
            payout.state, payout.message = Payout.State.FAILED, transfer.message[:500]
        payout.reference, payout.settled_at = transfer.reference, timezone.now()
        payout.save(update_fields=["state", "message", "reference", "settled_at"])
        return payout


def run_payouts() -> int:
    """The weekly run: a payout for every mentor and currency with at least PAYOUT_MINIMUM
    payable, in good standing, with a ready payout account; and transfers not yet answered
    are asked again. Safe to run at any time, and twice at once. Returns the payouts made."""
    made = 0
    accounts = LedgerAccount.objects.filter(
        kind=Kind.PAYABLE,
        mentor__status=MentorProfile.Status.APPROVED,
        mentor__payout_account__ready=True,
    ).select_related("mentor")
    held = balances(accounts)
    for account in accounts:
        assert account.mentor is not None  # a PAYABLE account is a mentor's
        if held[account.pk] >= payout_minimum(account.currency):
            try:
                start_payout(account.mentor, account.currency, requested=False)
            except ValidationError:
                continue  # paid by a run at the same moment, or no longer payable
            made += 1
    for payout_id in Payout.objects.filter(state=Payout.State.IN_TRANSIT).values_list(
        "pk", flat=True
    ):
        send_payout(payout_id)
    return made
