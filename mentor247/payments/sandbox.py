"""The sandbox provider's side: its test cards, its card page's outcome, and the delivery of
its signed events to the platform's webhook (payments.views.webhook), as an outside provider
would send them."""

import logging
import secrets
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from mentor247.lib.tasks import enqueue_on_commit
from mentor247.payments.models import SandboxAccount, SandboxCharge
from mentor247.payments.providers.sandbox import SIGNATURE_HEADER, event_body, sign

logger = logging.getLogger(__name__)
Outcome = SandboxCharge.State

# The sandbox's test cards (any future expiry date, any three-digit code).
SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
NEEDS_CONFIRMATION = "4000002500003155"
TEST_CARDS = {
    SUCCEEDS: (Outcome.SUCCEEDED, ""),
    DECLINED: (Outcome.FAILED, "card_declined"),
    INSUFFICIENT_FUNDS: (Outcome.FAILED, "insufficient_funds"),
    NEEDS_CONFIRMATION: (Outcome.REQUIRES_ACTION, ""),
}


def pay_with_card(charge: SandboxCharge, number: str) -> SandboxCharge:
    """The outcome of paying `charge` with the test card `number` (a key of TEST_CARDS);
    the platform hears of it by webhook. A charge already paid or failed is left as it is."""
    outcome, code = TEST_CARDS[number]
    with transaction.atomic():
        charge = SandboxCharge.objects.select_for_update().get(pk=charge.pk)
        if charge.state != Outcome.OPEN:
            return charge
        charge.state, charge.decline_code, charge.card_last4 = outcome, code, number[-4:]
        charge.save(update_fields=["state", "decline_code", "card_last4"])
        _announce(charge)
    return charge


def confirm(charge: SandboxCharge, *, approved: bool) -> SandboxCharge:
    """The mentee's answer on the bank's confirmation step."""
    with transaction.atomic():
        charge = SandboxCharge.objects.select_for_update().get(pk=charge.pk)
        if charge.state != Outcome.REQUIRES_ACTION:
            return charge
        charge.state = Outcome.SUCCEEDED if approved else Outcome.FAILED
        charge.decline_code = "" if approved else "authentication_failed"
        charge.save(update_fields=["state", "decline_code"])
        _announce(charge)
    return charge


def _announce(charge: SandboxCharge) -> None:
    # Imported here: payments.tasks imports this module (a task plays the sandbox's webhook).
    from mentor247.payments.tasks import deliver_sandbox_event

    enqueue_on_commit(deliver_sandbox_event, "evt_" + secrets.token_urlsafe(12), charge.reference)


def deliver(event_id: str, reference: str) -> bool:
    """Posts the event to the platform's webhook; whether it was taken (2xx)."""
    body = event_body(event_id, reference)
    request = urllib.request.Request(  # noqa: S310 - the platform's own address
        settings.SITE_URL + reverse("payments:webhook", args=["sandbox"]),
        data=body,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(body)},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return 200 <= response.status < 300
    except (urllib.error.URLError, TimeoutError) as error:
        logger.warning("the sandbox could not deliver %s: %s", event_id, error)
        return False


def set_account_number(account: SandboxAccount, number: str) -> None:
    """The mentor gave the sandbox's bank account page a (test) account number."""
    SandboxAccount.objects.filter(pk=account.pk).update(number=number)
