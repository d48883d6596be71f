"""The sandbox provider: an embedded stand-in for a card provider, for `make run` and tests.

Its side of each payment lives in its own tables (SandboxCharge, SandboxRefund), which the
platform reads only through this class. The mentee types a test card on the sandbox's own
page (payments.sandbox); the outcome reaches the platform as a signed webhook on the same path
a real provider uses, and the platform then fetches the charge's state from here.
"""

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentor247.mentors.models import MentorProfile
from mentor247.payments.models import (
    Payment,
    Payout,
    SandboxAccount,
    SandboxCharge,
    SandboxRefund,
    SandboxTransfer,
)
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

SIGNATURE_HEADER = "Sandbox-Signature"
# The sandbox's test bank accounts: transfers to this one fail; to any other, they are paid.
GOOD_ACCOUNT = "GB33BUKB20201555555555"
FAILING_ACCOUNT = "GB94BARC20201530093459"
TOLERANCE_SECONDS = 300
State = Payment.State


def decline_message(code: str) -> str:
    messages = {
        "card_declined": _("Your card was declined. Please try another card."),
        "insufficient_funds": _("Your card has insufficient funds. Please try another card."),
        "authentication_failed": _("The payment was not confirmed with your bank."),
    }
    return messages.get(code, _("The payment failed. Please try another card."))


def sign(body: bytes, *, at: int | None = None) -> str:
    """The signature header's value for `body`: its time and an HMAC-SHA256 of both."""
    at = int(time.time()) if at is None else at
    mac = hmac.new(
        settings.SANDBOX_WEBHOOK_SECRET.encode(), f"{at}.".encode() + body, hashlib.sha256
    )
    return f"t={at},v1={mac.hexdigest()}"


def event_body(event_id: str, reference: str) -> bytes:
    return json.dumps(
        {"id": event_id, "type": "charge.updated", "data": {"reference": reference}}
    ).encode()


class Sandbox(Provider):
    name = "sandbox"
    label = gettext_lazy("Sandbox (test cards)")

    def start_payment(self, payment: Payment, *, description: str, return_url: str) -> Charge:
        try:
            with transaction.atomic():
                charge, _created = SandboxCharge.objects.get_or_create(
                    idempotency_key=payment.provider_key,
                    defaults={
                        "reference": "sbx_" + secrets.token_urlsafe(18),
                        "amount": payment.amount,
                        "currency": payment.currency,
                        "description": description[:200],
                        "return_url": return_url,
                        "created_at": timezone.now(),
                    },
                )
        except IntegrityError:
            charge = SandboxCharge.objects.get(idempotency_key=payment.provider_key)
        return self.charge_of(charge)

    def fetch_payment(self, reference: str) -> Charge:
        charge = SandboxCharge.objects.filter(reference=reference).first()
        if charge is None:
            raise ProviderError(f"no sandbox charge {reference}")
        return self.charge_of(charge)

    def cancel_payment(self, reference: str) -> Charge:
        with transaction.atomic():
            charge = SandboxCharge.objects.select_for_update().filter(reference=reference).first()
            if charge is None:
                raise ProviderError(f"no sandbox charge {reference}")
            if charge.state in (SandboxCharge.State.OPEN, SandboxCharge.State.REQUIRES_ACTION):
                charge.state = SandboxCharge.State.CANCELLED
                charge.save(update_fields=["state"])
            return self.charge_of(charge)

    def charge_of(self, charge: SandboxCharge) -> Charge:
        site = settings.SITE_URL
        if charge.state == SandboxCharge.State.OPEN:
            url = site + reverse("payments:sandbox_pay", args=[charge.reference])
            return Charge(charge.reference, State.PENDING, next_url=url)
        if charge.state == SandboxCharge.State.REQUIRES_ACTION:
            url = site + reverse("payments:sandbox_confirm", args=[charge.reference])
            return Charge(charge.reference, State.REQUIRES_ACTION, next_url=url)
        if charge.state == SandboxCharge.State.SUCCEEDED:
            return Charge(charge.reference, State.SUCCEEDED)
        if charge.state == SandboxCharge.State.CANCELLED:
            return Charge(
                charge.reference,
                State.CANCELLED,
                message=_("This payment was stopped: its booking is no longer held."),
            )
        return Charge(charge.reference, State.FAILED, message=decline_message(charge.decline_code))

    def refund(self, payment: Payment, amount: int, *, key: str) -> str:
        with transaction.atomic():
            charge = SandboxCharge.objects.select_for_update().filter(reference=payment.reference)
            found = charge.first()
            if found is None or found.state != SandboxCharge.State.SUCCEEDED:
                raise ProviderError(f"nothing to refund on {payment.reference}")
            existing = SandboxRefund.objects.filter(key=key).first()
            if existing is not None:
                return existing.reference
            given = sum(found.refunds.values_list("amount", flat=True))
            if given + amount > found.amount:
                raise ProviderError(f"a refund of {amount} exceeds what is left of {found}")
            refund = SandboxRefund.objects.create(
                charge=found,
                key=key,
                reference="sbr_" + secrets.token_urlsafe(18),
                amount=amount,
                created_at=timezone.now(),
            )
            return refund.reference

    def list_refunds(self, reference: str) -> list[ProviderRefund]:
        charge = SandboxCharge.objects.filter(reference=reference).first()
        if charge is None:
            raise ProviderError(f"no sandbox charge {reference}")
        return [
            ProviderRefund(refund.reference, refund.amount, True)
            for refund in charge.refunds.order_by("pk")
        ]

    def fetch_dispute(self, reference: str) -> ProviderDispute:
        raise ProviderError("the sandbox's banks never dispute a payment")

    def fetch_transfer(self, reference: str) -> Transfer:
        made = SandboxTransfer.objects.filter(reference=reference).first()
        if made is None:
            raise ProviderError(f"no sandbox transfer {reference}")
        if made.paid:
            return Transfer(made.reference, True)
        return Transfer(made.reference, False, _("The bank refused the transfer to this account."))

    def open_payout_account(
        self, mentor: MentorProfile, *, reference: str, key: str
    ) -> tuple[str, str]:
        account, _created = SandboxAccount.objects.get_or_create(
            owner=key,
            defaults={
                "reference": "sba_" + secrets.token_urlsafe(18),
                "created_at": timezone.now(),
            },
        )
        url = settings.SITE_URL + reverse("payments:sandbox_account", args=[account.reference])
        return account.reference, url

    def payout_account_ready(self, reference: str) -> bool:
        account = SandboxAccount.objects.filter(reference=reference).first()
        if account is None:
            raise ProviderError(f"no sandbox account {reference}")
        return bool(account.number)

    def transfer(
        self, payout: Payout, account: str, *, key: str, sources: Sequence[Source]
    ) -> Transfer:
        found = SandboxAccount.objects.filter(reference=account).exclude(number="").first()
        if found is None:
            raise ProviderError(f"no sandbox account {account} to pay")
        try:
            with transaction.atomic():
                made, _created = SandboxTransfer.objects.get_or_create(
                    key=key,
                    defaults={
                        "reference": "sbt_" + secrets.token_urlsafe(18),
                        "account": account,
                        "amount": payout.amount,
                        "currency": payout.currency,
                        "paid": found.number != FAILING_ACCOUNT,
                        "created_at": timezone.now(),
                    },
                )
        except IntegrityError:
            made = SandboxTransfer.objects.get(key=key)
        if made.paid:
            return Transfer(made.reference, True)
        return Transfer(made.reference, False, _("The bank refused the transfer to this account."))

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> Event:
        fields = dict(
            part.split("=", 1)
            for part in headers.get(SIGNATURE_HEADER, "").split(",")
            if "=" in part
        )
        try:
            at = int(fields.get("t", ""))
        except ValueError as error:
            raise BadSignature("no time in the signature") from error
        if abs(time.time() - at) > TOLERANCE_SECONDS:
            raise BadSignature("the signature is too old")
        expected = sign(body, at=at).split("v1=", 1)[1]
        if not hmac.compare_digest(expected, fields.get("v1", "")):
            raise BadSignature("the signature does not match the body")
        try:
            event = json.loads(body)
            return Event(id=str(event["id"]), reference=str(event["data"]["reference"]))
        except (ValueError, KeyError, TypeError) as error:
            raise BadSignature("the body is not an event") from error
