"""What every payment provider offers the platform. The platform calls these hooks only from
payments.domain; a provider never writes the platform's tables."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from django.utils.functional import Promise

from mentor247.mentors.models import MentorProfile
from mentor247.payments.models import Payment, Payout

StrOrPromise = str | Promise

State = Payment.State


@dataclass(frozen=True)
class Charge:
    """The provider's word on a payment. `state` is a Payment.State; `message` says why it
    failed, in words a mentee can act on; `next_url` is where the mentee goes to give card
    details or confirm; `fee` is what the provider keeps, in minor units, once known."""

    reference: str
    state: str
    message: str = ""
    next_url: str = ""
    fee: int = 0
    # The provider's id of the captured charge itself, where it differs from the payment's
    # (a transfer to a mentor can name it as the money's source).
    charge: str = ""


@dataclass(frozen=True)
class Event:
    """A verified webhook event: its id (to ignore a replay), what it is about (`kind`, one
    of the kinds below) and the provider's reference of that: a payment for PAYMENT and
    REFUNDS, a dispute for DISPUTE, a transfer for TRANSFER, a payout account for ACCOUNT
    and PAYOUT_FAILED; `kind` "" for an event of no interest."""

    PAYMENT: ClassVar = "payment"  # a payment's state changed
    REFUNDS: ClassVar = "refunds"  # a payment's refunds changed (made, failed, or made elsewhere)
    DISPUTE: ClassVar = "dispute"  # the mentee's bank disputes a payment, or decided
    TRANSFER: ClassVar = "transfer"  # a transfer to a mentor was reversed
    ACCOUNT: ClassVar = "account"  # a mentor's payout account changed
    PAYOUT_FAILED: ClassVar = "payout_failed"  # the mentor's bank refused money sent on

    id: str
    reference: str
    kind: str = PAYMENT


@dataclass(frozen=True)
class ProviderRefund:
    """The provider's word on a refund of a payment: its reference, amount, and whether
    it was made (True), failed (False, with a message) or is on its way (None)."""

    reference: str
    amount: int
    made: bool | None
    message: str = ""


@dataclass(frozen=True)
class ProviderDispute:
    """The provider's word on a chargeback: the payment it concerns, the amount the bank
    disputes, and its outcome: None while open, True when the platform won (the money
    stays), False when it lost (the money went back to the mentee's card)."""

    reference: str
    payment: str
    amount: int
    won: bool | None


@dataclass(frozen=True)
class Transfer:
    """The provider's word on a transfer: its reference, and whether it has been paid
    (True), has failed (False, with a message) or is on its way (None); for one fetched
    again, how much of it was reversed since, and the platform's payout it belongs to."""

    reference: str
    paid: bool | None
    message: str = ""
    reversed_amount: int = 0
    payout: str = ""


@dataclass(frozen=True)
class Source:
    """Part of a payout and the captured charge its money came from ("" when unknown)."""

    charge: str
    amount: int


class BadSignature(Exception):
    """The webhook's signature does not match its body, or it is too old."""


class ProviderError(Exception):
    """The provider could not be reached or refused the call; safe to try again later."""


class Provider:
    name: ClassVar[str]
    label: ClassVar["StrOrPromise"]

    def start_payment(self, payment: Payment, *, description: str, return_url: str) -> Charge:
        """Creates the provider's side of `payment` for its amount and currency, sending
        `payment.provider_key` as the idempotency key: called again with the same key, the
        provider returns the same charge. The mentee is sent to the returned `next_url`, and
        comes back to `return_url`. Raises ProviderError."""
        raise NotImplementedError

    def fetch_payment(self, reference: str) -> Charge:
        """The provider's current state of the payment `reference`. Webhooks are only
        triggers: the platform acts on what this returns. Raises ProviderError."""
        raise NotImplementedError

    def cancel_payment(self, reference: str) -> Charge:
        """Cancels the payment `reference` so that it can no longer take money, and returns
        its state after: cancelled (or failed) when it is, or succeeded when the provider had
        captured it already (the platform then refunds it). Raises ProviderError."""
        raise NotImplementedError

    def client_secret(self, reference: str) -> str:
        """What the provider's own card form in the mentee's browser needs to confirm the
        payment `reference` (providers whose card page is their own need none). Raises
        ProviderError."""
        raise NotImplementedError

    def refund(self, payment: Payment, amount: int, *, key: str) -> str:
        """Gives `amount` of `payment` back to the mentee's card, with idempotency key `key`;
        returns the provider's reference of the refund. Raises ProviderError."""
        raise NotImplementedError

    def open_payout_account(
        self, mentor: MentorProfile, *, reference: str, key: str
    ) -> tuple[str, str]:
        """Starts the mentor's account for payouts with idempotency key `key` (or, given its
        `reference`, continues it): its reference, and where the mentor goes to give their
        details. Raises ProviderError."""
        raise NotImplementedError

    def payout_account_ready(self, reference: str) -> bool:
        """Whether the account `reference` can be paid now. Raises ProviderError."""
        raise NotImplementedError

    def transfer(
        self, payout: Payout, account: str, *, key: str, sources: Sequence[Source]
    ) -> Transfer:
        """Sends `payout` to `account`, with idempotency key `key` (sent twice, paid once).
        `sources` are the captured charges its money came from, adding up to its amount: a
        provider that can tie a transfer to its source charge does so, so the money moves
        as that charge's funds do. Raises ProviderError."""
        raise NotImplementedError

    def list_refunds(self, reference: str) -> list[ProviderRefund]:
        """Every refund of the payment `reference`, wherever it was made. Raises
        ProviderError."""
        raise NotImplementedError

    def fetch_dispute(self, reference: str) -> ProviderDispute:
        """The chargeback `reference`. Raises ProviderError."""
        raise NotImplementedError

    def fetch_transfer(self, reference: str) -> Transfer:
        """The transfer `reference` as it stands: paid, or reversed (paid False). Raises
        ProviderError."""
        raise NotImplementedError

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> Event:
        """Verifies a webhook against its raw `body` and returns its event. Raises
        BadSignature."""
        raise NotImplementedError
