"""The Stripe provider against a local server answering Stripe's endpoints with recorded
responses (tests/stripe_recorded), never the network: Payment Intents, refunds, Connect
accounts and transfers, each with its idempotency key, and webhooks signed as Stripe signs
them."""

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.payments import domain
from mentor247.payments.ledger import balance, escrow_of, platform_account
from mentor247.payments.models import LedgerAccount, Payment, Payout, PayoutAccount, Refund
from mentor247.payments.tests.stripe_recorded.server import RecordedStripe, recorded_stripe
from mentor247.payments.tests.test_settlement import after_the_window, mark

INTENT = "pi_3QeRec0rdedA1b2C3d4E5f6G"
WEBHOOK_SECRET = "whsec_recorded_test_secret"
Kind = LedgerAccount.Kind


@pytest.fixture
def stripe_api(settings: Any) -> Iterator[RecordedStripe]:
    with recorded_stripe() as server:
        settings.PAYMENT_PROVIDER = "stripe"
        settings.STRIPE_SECRET_KEY = "sk_test_recorded"
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.STRIPE_API_BASE = server.url
        yield server


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def checkout(booking: Booking) -> Payment:
    payment, charge = domain.start_checkout(
        booking, booking.mentee, idempotency_key="k1", return_url=lambda made: "http://x/"
    )
    assert charge.next_url.endswith(f"/payments/stripe/{INTENT}/")
    return payment


def stripe_signed(event: dict[str, Any], *, secret: str = WEBHOOK_SECRET) -> tuple[bytes, str]:
    body = json.dumps(event).encode()
    at = int(time.time())
    mac = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={at},v1={mac}"


def test_a_payment_intent_is_created_with_the_attempts_key_then_settled_from_stripe(
    stripe_api: RecordedStripe, bookable: Bookable, mentee: User
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    payment = checkout(booking)
    assert (payment.provider, payment.reference) == ("stripe", INTENT)
    [created] = stripe_api.requests_to("POST", "/v1/payment_intents")
    assert created.headers["Idempotency-Key"] == payment.provider_key
    assert created.form["amount"] == ["24000"] and created.form["currency"] == ["eur"]
    assert created.headers["Authorization"] == "Bearer sk_test_recorded"

    stripe_api.variants[f"/v1/payment_intents/{INTENT}"] = "succeeded"
    payment = domain.settle_payment(payment.pk)
    assert payment.state == Payment.State.SUCCEEDED
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
    assert balance(escrow_of(booking.engagement, "EUR")) == 24000
    # Stripe's fee on the charge is the platform's cost.
    assert balance(platform_account(Kind.PROVIDER_FEES, "EUR")) == 385
    assert balance(platform_account(Kind.REVENUE, "EUR")) == -385


def test_a_declined_card_ends_the_attempt_with_stripes_message(
    stripe_api: RecordedStripe, bookable: Bookable, mentee: User
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    payment = checkout(booking)
    stripe_api.variants[f"/v1/payment_intents/{INTENT}"] = "declined"
    payment = domain.settle_payment(payment.pk)
    assert (payment.state, payment.message) == (Payment.State.FAILED, "Your card was declined.")
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED


def test_stripe_webhooks_are_verified_deduplicated_and_only_triggers(
    stripe_api: RecordedStripe, bookable: Bookable, mentee: User, client: Client
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    payment = checkout(booking)
    stripe_api.variants[f"/v1/payment_intents/{INTENT}"] = "succeeded"
    event = {
        "id": "evt_1QeRec0rded",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": {"id": INTENT, "object": "payment_intent", "status": "succeeded"}},
    }
    url = reverse("payments:webhook", args=["stripe"])
    body, signature = stripe_signed(event)
    forged_body, forged = stripe_signed(event, secret="whsec_someone_else")
    assert (
        client.post(
            url, forged_body, "application/json", headers={"Stripe-Signature": forged}
        ).status_code
        == 400
    )
    tampered = body.replace(b"succeeded", b"succeedes")
    assert (
        client.post(
            url, tampered, "application/json", headers={"Stripe-Signature": signature}
        ).status_code
        == 400
    )
    assert Payment.objects.get(pk=payment.pk).state == Payment.State.PENDING
    for _ in range(5):
        answer = client.post(url, body, "application/json", headers={"Stripe-Signature": signature})
        assert answer.status_code == 200
    assert Payment.objects.get(pk=payment.pk).state == Payment.State.SUCCEEDED
    # The state came from Stripe's answer to the platform's own question, once.
    assert len(stripe_api.requests_to("GET", f"/v1/payment_intents/{INTENT}")) == 1


def test_refunds_and_payouts_go_through_stripe_with_their_keys(
    stripe_api: RecordedStripe,
    bookable: Bookable,
    mentee: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    payment = checkout(booking)
    stripe_api.variants[f"/v1/payment_intents/{INTENT}"] = "succeeded"
    payment = domain.settle_payment(payment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        refund = domain.refund_payment(payment, 8000, reason="One session back.")
    refund.refresh_from_db()
    [sent] = stripe_api.requests_to("POST", "/v1/refunds")
    assert sent.headers["Idempotency-Key"] == refund.key
    assert sent.form == {"payment_intent": [INTENT], "amount": ["8000"]}
    assert (refund.state, refund.reference) == (Refund.State.SENT, "re_3QeRec0rdedA1b2C0rEfUnd1")

    # Connect: the mentor's Express account, its onboarding link, then a transfer.
    url = domain.open_payout_account(bookable.profile)
    assert url.startswith("https://connect.stripe.com/setup/")
    [account] = stripe_api.requests_to("POST", "/v1/accounts")
    assert account.form["type"] == ["express"]
    stored = PayoutAccount.objects.get(mentor=bookable.profile)
    assert account.headers["Idempotency-Key"] == stored.provider_key
    assert stored.reference == "acct_1QeRec0rdedMent0r"
    # Asked again (a day later, say, when Stripe has forgotten the key): the account is not
    # made again, only a new onboarding link for it.
    domain.open_payout_account(bookable.profile)
    assert len(stripe_api.requests_to("POST", "/v1/accounts")) == 1
    assert len(stripe_api.requests_to("POST", "/v1/account_links")) == 2
    assert domain.refresh_payout_account(bookable.profile) is not None
    assert PayoutAccount.objects.get(mentor=bookable.profile).ready
    booking.refresh_from_db()
    mark(booking, Booking.Status.COMPLETED)
    with after_the_window(booking):
        domain.settle_due_sessions()
    with django_capture_on_commit_callbacks(execute=True):
        payout = domain.start_payout(bookable.profile, "EUR", requested=True)
    payout.refresh_from_db()
    [transfer] = stripe_api.requests_to("POST", "/v1/transfers")
    assert transfer.headers["Idempotency-Key"] == payout.key
    assert transfer.form["destination"] == ["acct_1QeRec0rdedMent0r"]
    assert transfer.form["amount"] == [str(payout.amount)]
    assert (payout.state, payout.reference) == (Payout.State.PAID, "tr_1QeRec0rdedTransf3r")


def test_the_stripe_card_page_is_the_mentees_and_allows_stripe_js_there_alone(
    stripe_api: RecordedStripe, bookable: Bookable, mentee: User, client: Client, stranger: User
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    checkout(booking)
    url = reverse("payments:stripe_pay", args=[INTENT])
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(mentee)
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-client-secret="pi_3QeRec0rdedA1b2C3d4E5f6G_secret_' in page.content.decode()
    policy = page["Content-Security-Policy"]
    assert "https://js.stripe.com" in policy and "https://api.stripe.com" in policy
    elsewhere = client.get(reverse("bookings:booking", args=[booking.pk]))
    assert "stripe" not in elsewhere["Content-Security-Policy"]
