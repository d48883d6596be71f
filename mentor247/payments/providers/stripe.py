"""Stripe, through its official library: Payment Intents for mentees' payments, Connect
Express accounts and transfers for mentors' payouts, refunds, and webhooks verified with
Stripe's signature scheme (`Stripe-Signature`). Every call that creates something carries
the platform's idempotency key. STRIPE_API_BASE points the library at another server (the
tests' recorded Stripe)."""

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import stripe
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentor247.lib.money import minor_digits, to_major
from mentor247.mentors.models import MentorProfile
from mentor247.payments.models import Payment, Payout
from mentor247.payments.providers.base import (
    BadSignature,
    Charge,
    Event,
    Provider,
    ProviderDispute,
    ProviderError,
    ProviderRefund,
    Source,
    Transfer,
)

State = Payment.State
# What a Payment Intent's status means for the platform.
STATES = {
    "requires_payment_method": State.PENDING,
    "requires_confirmation": State.REQUIRES_ACTION,
    "requires_action": State.REQUIRES_ACTION,
    "processing": State.PENDING,
    "requires_capture": State.PENDING,
    "succeeded": State.SUCCEEDED,
    "canceled": State.CANCELLED,
}


def fee_in(balance: Mapping[str, Any], currency: str) -> int:
    """Stripe's fee on a charge, in minor units of the charge's `currency`. Stripe states it
    in the currency the platform's balance settles in; when that differs, it is converted
    back at the balance transaction's own rate (settled amount = charged amount * rate),
    rounded half up."""
    fee = int(balance.get("fee", 0))
    settled = str(balance.get("currency", currency)).upper()
    if settled == currency or not fee:
        return fee
    rate = Decimal(str(balance.get("exchange_rate") or 0))
    if rate <= 0:
        raise ProviderError(f"no exchange rate from {currency} to {settled}")
    in_charge = to_major(fee, settled) / rate
    minor = in_charge.scaleb(minor_digits(currency))
    return int(minor.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class Stripe(Provider):
    name = "stripe"
    label = gettext_lazy("Stripe")

    def _client(self) -> stripe.StripeClient:
        base: Any = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else {}
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=2
        )

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except stripe.StripeError as error:
            raise ProviderError(str(error)) from error

    def start_payment(self, payment: Payment, *, description: str, return_url: str) -> Charge:
        intent = self._call(
            self._client().v1.payment_intents.create,
            params={
                "amount": payment.amount,
                "currency": payment.currency.lower(),
                "description": description,
                "automatic_payment_methods": {"enabled": True},
                "metadata": {"payment": str(payment.pk)},
            },
            options={"idempotency_key": payment.provider_key},
        )
        return self._charge(intent)

    def fetch_payment(self, reference: str) -> Charge:
        intent = self._call(
            self._client().v1.payment_intents.retrieve,
            reference,
            params={"expand": ["latest_charge.balance_transaction"]},
        )
        return self._charge(intent)

    def cancel_payment(self, reference: str) -> Charge:
        try:
            intent = self._client().v1.payment_intents.cancel(
                reference, params={"cancellation_reason": "abandoned"}
            )
        except stripe.InvalidRequestError:
            # Stripe refuses to cancel an intent that succeeded or was cancelled already:
            # its state says which.
            return self.fetch_payment(reference)
        except stripe.StripeError as error:
            raise ProviderError(str(error)) from error
        return self._charge(intent)

    def client_secret(self, reference: str) -> str:
        intent = self._call(self._client().v1.payment_intents.retrieve, reference)
        return str(intent["client_secret"])

    def _charge(self, intent: Any) -> Charge:
        state = STATES.get(intent["status"], State.PENDING)
        error = intent.get("last_payment_error")
        message = ""
        if state == State.PENDING and error:
            # Stripe keeps the intent open for another card; the platform ends the attempt.
            state = State.FAILED
            message = error.get("message") or _("The payment failed. Please try another card.")
        fee = 0
        charge = intent.get("latest_charge")
        if state == State.SUCCEEDED and isinstance(charge, Mapping):
            balance = charge.get("balance_transaction")
            if isinstance(balance, Mapping):
                fee = fee_in(balance, str(intent["currency"]).upper())
        next_url = ""
        if state in (State.PENDING, State.REQUIRES_ACTION):
            next_url = settings.SITE_URL + reverse("payments:stripe_pay", args=[intent["id"]])
        charge_id = charge.get("id", "") if isinstance(charge, Mapping) else charge or ""
        return Charge(
            intent["id"], state, message=message, next_url=next_url, fee=fee, charge=str(charge_id)
        )

    def refund(self, payment: Payment, amount: int, *, key: str) -> str:
        refund = self._call(
            self._client().v1.refunds.create,
            params={"payment_intent": payment.reference, "amount": amount},
            options={"idempotency_key": key},
        )
        return str(refund["id"])

    def open_payout_account(
        self, mentor: MentorProfile, *, reference: str, key: str
    ) -> tuple[str, str]:
        client = self._client()
        if not reference:
            # Stripe keeps an idempotency key for 24 hours only: the platform stores the
            # account's id once made and never asks to make it again.
            account = self._call(
                client.v1.accounts.create,
                params={
                    "type": "express",
                    "email": mentor.user.email,
                    "capabilities": {"transfers": {"requested": True}},
                    "metadata": {"mentor": str(mentor.pk)},
                },
                options={"idempotency_key": key},
            )
            reference = str(account["id"])
        back = settings.SITE_URL + reverse("mentor:earnings")
        link = self._call(
            client.v1.account_links.create,
            params={
                "account": reference,
                "type": "account_onboarding",
                "refresh_url": back,
                "return_url": back,
            },
        )
        return reference, str(link["url"])

    def payout_account_ready(self, reference: str) -> bool:
        account = self._call(self._client().v1.accounts.retrieve, reference)
        return bool(account.get("payouts_enabled")) and bool(account.get("details_submitted"))

    def transfer(
        self, payout: Payout, account: str, *, key: str, sources: Sequence[Source]
    ) -> Transfer:
        # One transfer per source charge, each tied to it (`source_transaction`), so Stripe
        # moves the money when that charge's funds are available; money of unknown source
        # goes in one transfer from the platform's available balance.
        parts: dict[str, int] = {}
        for source in sources:
            parts[source.charge] = parts.get(source.charge, 0) + source.amount
        made = []
        for number, (charge, amount) in enumerate(parts.items()):
            params: dict[str, Any] = {
                "amount": amount,
                "currency": payout.currency.lower(),
                "destination": account,
                "transfer_group": f"payout-{payout.pk}",
                "metadata": {"payout": str(payout.pk)},
            }
            if charge:
                params["source_transaction"] = charge
            made.append(
                self._transfer(
                    self._call(
                        self._client().v1.transfers.create,
                        params=params,
                        options={"idempotency_key": f"{key}-{number}" if number else key},
                    )
                )
            )
        failed = [transfer for transfer in made if transfer.paid is False]
        if failed:
            return Transfer(made[0].reference, False, failed[0].message)
        return Transfer(made[0].reference, True)

    def fetch_transfer(self, reference: str) -> Transfer:
        return self._transfer(self._call(self._client().v1.transfers.retrieve, reference))

    def _transfer(self, made: Any) -> Transfer:
        # A transfer lands in the mentor's Stripe balance at once; Stripe pays it to their
        # bank from there. One that was reversed took the money back.
        reversed_amount = int(made.get("amount_reversed") or 0)
        payout = str((made.get("metadata") or {}).get("payout", ""))
        if made.get("reversed") or reversed_amount:
            message = _("The transfer was reversed.")
            return Transfer(str(made["id"]), False, message, reversed_amount, payout)
        return Transfer(str(made["id"]), True, payout=payout)

    def list_refunds(self, reference: str) -> list[ProviderRefund]:
        found = self._call(
            self._client().v1.refunds.list, params={"payment_intent": reference, "limit": 100}
        )
        return [
            ProviderRefund(
                str(refund["id"]),
                int(refund["amount"]),
                REFUND_MADE.get(str(refund["status"])),
                str(refund.get("failure_reason") or ""),
            )
            for refund in found["data"]
        ]

    def fetch_dispute(self, reference: str) -> ProviderDispute:
        dispute = self._call(self._client().v1.disputes.retrieve, reference)
        won = {"won": True, "lost": False}.get(str(dispute["status"]))
        return ProviderDispute(
            str(dispute["id"]), str(dispute["payment_intent"]), int(dispute["amount"]), won
        )

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> Event:
        if not settings.STRIPE_WEBHOOK_SECRET:
            # An empty secret would accept events anyone can sign.
            raise BadSignature("no webhook secret is set")
        try:
            event = stripe.Webhook.construct_event(
                body, headers.get("Stripe-Signature", ""), settings.STRIPE_WEBHOOK_SECRET
            )
        except (ValueError, stripe.SignatureVerificationError) as error:
            raise BadSignature(str(error)) from error
        target = event["data"]["object"]
        kind = str(event["type"])
        if kind.startswith("payment_intent."):
            return Event(str(event["id"]), str(target["id"]), Event.PAYMENT)
        if kind in REFUND_EVENTS:
            return Event(str(event["id"]), str(target.get("payment_intent") or ""), Event.REFUNDS)
        if kind.startswith("charge.dispute."):
            return Event(str(event["id"]), str(target["id"]), Event.DISPUTE)
        if kind == "transfer.reversed":
            return Event(str(event["id"]), str(target["id"]), Event.TRANSFER)
        if kind == "account.updated":
            return Event(str(event["id"]), str(target["id"]), Event.ACCOUNT)
        if kind == "payout.failed":  # on a mentor's connected account: the event names it
            return Event(str(event["id"]), str(event.get("account") or ""), Event.PAYOUT_FAILED)
        return Event(str(event["id"]), "", "")


# Events that say a payment's refunds changed: one made in Stripe's dashboard, or failed.
REFUND_EVENTS = frozenset(
    {
        "charge.refunded",
        "charge.refund.updated",
        "refund.created",
        "refund.updated",
        "refund.failed",
    }
)
# What a refund's status means: made, on its way, or failed.
REFUND_MADE: dict[str, bool | None] = {
    "succeeded": True,
    "pending": None,
    "requires_action": None,
    "failed": False,
    "canceled": False,
}
