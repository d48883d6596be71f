"""Stripe, through its official library: Payment Intents for mentees' payments, Connect
Express accounts and transfers for mentors' payouts, refunds, and webhooks verified with
Stripe's signature scheme (`Stripe-Signature`). Every call that creates something carries
the platform's idempotency key. STRIPE_API_BASE points the library at another server (the
tests' recorded Stripe)."""

from collections.abc import Mapping
from typing import Any

import stripe
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentor247.mentors.models import MentorProfile
from mentor247.payments.models import Payment, Payout
from mentor247.payments.providers.base import (
    BadSignature,
    Charge,
    Event,
    Provider,
    ProviderError,
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
                fee = int(balance.get("fee", 0))
        next_url = ""
        if state in (State.PENDING, State.REQUIRES_ACTION):
            next_url = settings.SITE_URL + reverse("payments:stripe_pay", args=[intent["id"]])
        return Charge(intent["id"], state, message=message, next_url=next_url, fee=fee)

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

    def transfer(self, payout: Payout, account: str, *, key: str) -> Transfer:
        made = self._call(
            self._client().v1.transfers.create,
            params={
                "amount": payout.amount,
                "currency": payout.currency.lower(),
                "destination": account,
                "metadata": {"payout": str(payout.pk)},
            },
            options={"idempotency_key": key},
        )
        # A transfer lands in the mentor's Stripe balance at once; Stripe pays it to their
        # bank from there.
        return Transfer(str(made["id"]), True)

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
        reference = target["id"] if target.get("object") == "payment_intent" else ""
        return Event(id=str(event["id"]), reference=str(reference))
