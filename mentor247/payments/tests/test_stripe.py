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
from mentor247.conftest import staff_client
from mentor247.payments import domain
from mentor247.payments.ledger import balance, escrow_of, mentor_account, platform_account
from mentor247.payments.models import (
    Dispute,
    LedgerAccount,
    Payment,
    Payout,
    PayoutAccount,
    Refund,
    WebhookEvent,
)
from mentor247.payments.tests.stripe_recorded.server import RecordedStripe, recorded_stripe
from mentor247.payments.tests.test_settlement import after_the_window, mark, paid_booking
from mentor247.payments.verify import verify_ledger

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


def checkout(booking: Booking, key: str = "k1") -> Payment:
    payment, charge = domain.start_checkout(
        booking, booking.mentee, idempotency_key=key, return_url=lambda made: "http://x/"
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
    # Tied to the charge its money came from, so it moves as that charge's funds do.
    assert transfer.form["source_transaction"] == ["ch_3QeRec0rdedA1b2C1xYz9876"]
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


# Stripe's events beyond a payment's state ------------------------------------------------


def send_event(client: Client, kind: str, target: dict[str, Any], **extra: Any) -> int:
    event = {
        "id": f"evt_{kind}_{target['id']}",
        "object": "event",
        "type": kind,
        "data": {"object": target},
        **extra,
    }
    body, signature = stripe_signed(event)
    url = reverse("payments:webhook", args=["stripe"])
    answer = client.post(url, body, "application/json", headers={"Stripe-Signature": signature})
    return answer.status_code


def paid_with_stripe(stripe_api: RecordedStripe, booking: Booking) -> Payment:
    payment = checkout(booking)
    stripe_api.variants[f"/v1/payment_intents/{INTENT}"] = "succeeded"
    return domain.settle_payment(payment.pk)


def test_a_declined_intent_is_cancelled_and_a_later_success_in_the_same_form_is_refunded(
    stripe_api: RecordedStripe,
    bookable: Bookable,
    mentee: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    payment = checkout(booking)
    stripe_api.variants[f"/v1/payment_intents/{INTENT}"] = "declined"
    with django_capture_on_commit_callbacks(execute=True):
        payment = domain.settle_payment(payment.pk)
    assert payment.state == Payment.State.FAILED
    # The platform ended the attempt: Stripe is told, so the form cannot take money for it.
    [cancel] = stripe_api.requests_to("POST", f"/v1/payment_intents/{INTENT}/cancel")
    assert cancel.form == {"cancellation_reason": ["abandoned"]}
    # Had the mentee's second card gone through first, Stripe refuses the cancel: the
    # platform records the money and gives it back (the hold was released at the decline).
    stripe_api.variants[f"/v1/payment_intents/{INTENT}/cancel"] = "too_late"
    stripe_api.variants[f"/v1/payment_intents/{INTENT}"] = "succeeded"
    with django_capture_on_commit_callbacks(execute=True):
        payment = domain.give_up_payment(payment.pk)
    assert payment.state == Payment.State.SUCCEEDED
    assert balance(escrow_of(booking.engagement, "EUR")) == 0
    [refund] = Refund.objects.all()
    assert (refund.amount, refund.state) == (24000, Refund.State.SENT)
    verify_ledger()


def test_a_refund_made_in_stripes_dashboard_is_recorded_once_and_the_mentee_told(
    stripe_api: RecordedStripe,
    bookable: Bookable,
    mentee: User,
    client: Client,
    smtp_outbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    payment = paid_with_stripe(stripe_api, booking)
    stripe_api.variants["/v1/refunds"] = "dashboard"
    charge = {"id": "ch_3QeRec0rdedA1b2C1xYz9876", "object": "charge", "payment_intent": INTENT}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):  # delivered twice
            assert send_event(client, "charge.refunded", charge) == 200
    [refund] = Refund.objects.all()
    assert (refund.amount, refund.reference, refund.state, refund.payment_id) == (
        5000,
        "re_3QeRec0rdedA1b2CDashb0rd",
        Refund.State.SENT,
        payment.pk,
    )
    assert balance(escrow_of(booking.engagement, "EUR")) == 24000 - 5000
    assert balance(platform_account(Kind.REFUNDED, "EUR")) == 5000
    assert len(smtp_outbox.messages) == 1
    verify_ledger()


def test_a_refund_that_fails_after_it_was_sent_waits_for_staff_who_send_it_again(
    stripe_api: RecordedStripe,
    bookable: Bookable,
    mentee: User,
    staff: User,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    payment = paid_with_stripe(stripe_api, booking)
    with django_capture_on_commit_callbacks(execute=True):
        refund = domain.refund_payment(payment, 8000, reason="One session back.")
    stripe_api.variants["/v1/refunds"] = "ours_failed"
    target = {"id": "re_3QeRec0rdedA1b2C0rEfUnd1", "object": "refund", "payment_intent": INTENT}
    assert send_event(client, "refund.failed", target) == 200
    refund.refresh_from_db()
    assert (refund.state, refund.message) == (Refund.State.FAILED, "expired_or_canceled_card")
    first_key = refund.key
    del stripe_api.variants["/v1/refunds"]
    client = staff_client(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments_staff:retry", args=["refund", refund.pk]))
    refund.refresh_from_db()
    assert refund.state == Refund.State.SENT
    [_first, again] = stripe_api.requests_to("POST", "/v1/refunds")
    assert again.headers["Idempotency-Key"] == refund.key != first_key
    verify_ledger()


@pytest.mark.parametrize("outcome", ["won", "lost"])
def test_a_chargeback_holds_the_sessions_money_until_the_bank_decides(
    stripe_api: RecordedStripe,
    bookable: Bookable,
    mentee: User,
    client: Client,
    outcome: str,
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    paid_with_stripe(stripe_api, booking)
    booking.refresh_from_db()
    mark(booking, Booking.Status.COMPLETED)
    target = {"id": "dp_1QeRec0rdedD1spute", "object": "dispute", "payment_intent": INTENT}
    assert send_event(client, "charge.dispute.created", target) == 200
    dispute = Dispute.objects.get()
    assert (dispute.state, dispute.provider_reference, dispute.amount) == (
        Dispute.State.OPEN,
        "dp_1QeRec0rdedD1spute",
        24000,
    )
    with after_the_window(booking):
        assert domain.settle_due_sessions() == 0  # held while the bank decides
    stripe_api.variants["/v1/disputes/dp_1QeRec0rdedD1spute"] = outcome
    assert send_event(client, "charge.dispute.closed", target) == 200
    dispute.refresh_from_db()
    with after_the_window(booking):
        domain.settle_due_sessions()
    payable = balance(mentor_account(bookable.profile, Kind.PAYABLE, "EUR"))
    if outcome == "won":
        assert dispute.state == Dispute.State.RELEASED
        assert payable == 6800  # the session's share, less the fee
    else:
        assert dispute.state == Dispute.State.REFUNDED
        assert payable == 0
        assert balance(platform_account(Kind.REFUNDED, "EUR")) == 24000
    verify_ledger()


def test_a_reversed_transfer_makes_the_money_payable_again_and_payout_events_are_heard(
    stripe_api: RecordedStripe,
    bookable: Bookable,
    mentee: User,
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    paid_with_stripe(stripe_api, booking)
    booking.refresh_from_db()
    mark(booking, Booking.Status.COMPLETED)
    with after_the_window(booking):
        domain.settle_due_sessions()
    domain.open_payout_account(bookable.profile)
    domain.refresh_payout_account(bookable.profile)
    with django_capture_on_commit_callbacks(execute=True):
        payout = domain.start_payout(bookable.profile, "EUR", requested=True)
    payout.refresh_from_db()
    assert payout.state == Payout.State.PAID
    stripe_api.variants["/v1/transfers/tr_1QeRec0rdedTransf3r"] = "reversed"
    transfer = {"id": "tr_1QeRec0rdedTransf3r", "object": "transfer"}
    assert send_event(client, "transfer.reversed", transfer) == 200
    payout.refresh_from_db()
    assert payout.state == Payout.State.FAILED
    assert balance(mentor_account(bookable.profile, Kind.PAYABLE, "EUR")) == 6800
    assert balance(mentor_account(bookable.profile, Kind.PAID_OUT, "EUR")) == 0
    # The mentor's bank refuses what Stripe sends on: payouts pause until they change it.
    account = "acct_1QeRec0rdedMent0r"
    failed = {"id": "po_1QeRec0rded", "object": "payout"}
    assert send_event(client, "payout.failed", failed, account=account) == 200
    assert PayoutAccount.objects.get(mentor=bookable.profile).paused_until is not None
    assert send_event(client, "account.updated", {"id": account, "object": "account"}) == 200
    assert PayoutAccount.objects.get(mentor=bookable.profile).paused_until is None
    verify_ledger()


def test_stripes_fee_settled_in_another_currency_is_posted_in_the_payments(
    stripe_api: RecordedStripe, bookable: Bookable, mentee: User
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    payment = checkout(booking)
    stripe_api.variants[f"/v1/payment_intents/{INTENT}"] = "succeeded_settled_in_gbp"
    domain.settle_payment(payment.pk)
    # £3.30 at 0.85 GBP to the EUR is €3.88, posted in EUR.
    assert balance(platform_account(Kind.PROVIDER_FEES, "EUR")) == 388
    assert not LedgerAccount.objects.filter(currency="GBP").exists()


def test_the_webhook_refuses_every_event_when_no_secret_is_set(
    stripe_api: RecordedStripe, bookable: Bookable, mentee: User, client: Client, settings: Any
) -> None:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    checkout(booking)
    settings.STRIPE_WEBHOOK_SECRET = ""
    event = {
        "id": "evt_empty",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": {"id": INTENT, "object": "payment_intent"}},
    }
    body, signature = stripe_signed(event, secret="")
    url = reverse("payments:webhook", args=["stripe"])
    answer = client.post(url, body, "application/json", headers={"Stripe-Signature": signature})
    assert answer.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_a_payout_of_two_payments_money_is_one_transfer_per_source_charge(
    stripe_api: RecordedStripe,
    bookable: Bookable,
    mentee: User,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = bookings.book(bookable.package, mentee, at(5, 10))
    paid_with_stripe(stripe_api, first)
    Payment.objects.filter(booking=first).update(charge_reference="ch_first")
    # The recorded server knows one Payment Intent: the second payment, made before the
    # platform moved to Stripe, went through the sandbox.
    settings.PAYMENT_PROVIDER = "sandbox"
    second = paid_booking(bookable.hour, mentee, at(6, 10))
    settings.PAYMENT_PROVIDER = "stripe"
    Payment.objects.filter(booking=second).update(charge_reference="ch_second")
    for booking in (first, second):
        booking.refresh_from_db()
        mark(booking, Booking.Status.COMPLETED)
    with after_the_window(second):
        assert domain.settle_due_sessions() == 2
    domain.open_payout_account(bookable.profile)
    domain.refresh_payout_account(bookable.profile)
    with django_capture_on_commit_callbacks(execute=True):
        payout = domain.start_payout(bookable.profile, "EUR", requested=True)
    sent = stripe_api.requests_to("POST", "/v1/transfers")
    # 68.00 of the package's first session, then 76.50 of the hour (90.00 less 15 %).
    assert [(t.form["source_transaction"], t.form["amount"]) for t in sent] == [
        (["ch_first"], ["6800"]),
        (["ch_second"], ["7650"]),
    ]
    assert [t.headers["Idempotency-Key"] for t in sent] == [payout.key, f"{payout.key}-1"]
    assert payout.amount == 6800 + 7650
