"""Paying for a held booking through the sandbox provider: the attempt, the card, the signed
webhook, the escrow, and what a failure, a retry or a late payment does."""

import json
import random
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking, Engagement
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.conftest import make_user
from mentor247.payments import domain, sandbox
from mentor247.payments.ledger import balance, escrow_of, platform_account
from mentor247.payments.models import (
    LedgerAccount,
    LedgerEntry,
    Payment,
    Refund,
    SandboxCharge,
    SandboxRefund,
    WebhookEvent,
)
from mentor247.payments.providers.sandbox import SIGNATURE_HEADER, event_body, sign

Kind = LedgerAccount.Kind
State = Payment.State


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.fixture
def held(bookable: Bookable, mentee: User) -> Booking:
    return bookings.book(bookable.package, mentee, at(5, 10))


def start(booking: Booking, key: str = "key-1") -> Payment:
    payment, _charge = domain.start_checkout(
        booking,
        booking.mentee,
        idempotency_key=key,
        return_url=lambda made: f"http://testserver/payments/{made.pk}/",
    )
    return payment


def charge_of(payment: Payment) -> SandboxCharge:
    return SandboxCharge.objects.get(reference=payment.reference)


def deliver(client: Client, body: bytes, signature: str | None = None) -> int:
    """Posts a webhook as the sandbox signs it; the HTTP status."""
    response = client.post(
        reverse("payments:webhook", args=["sandbox"]),
        data=body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: signature if signature is not None else sign(body)},
    )
    return response.status_code


def test_a_test_card_pays_the_engagement_into_escrow_and_confirms_the_booking(
    held: Booking,
) -> None:
    payment = start(held)
    assert (payment.amount, payment.state) == (24000, State.PENDING)
    assert Booking.objects.get(pk=held.pk).status == Booking.Status.AWAITING_PAYMENT
    sandbox.pay_with_card(charge_of(payment), sandbox.SUCCEEDS)
    # Its webhook could not be delivered here (nothing serves SITE_URL): the return page's
    # fetch settles it all the same.
    assert domain.settle_payment(payment.pk).state == State.SUCCEEDED
    booking = Booking.objects.get(pk=held.pk)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.engagement.status == Engagement.Status.ACTIVE
    currency = payment.currency
    assert balance(escrow_of(booking.engagement, currency)) == 24000
    assert balance(platform_account(Kind.RECEIVED, currency)) == -24000


@pytest.mark.parametrize(
    ("card", "message"),
    [
        (sandbox.DECLINED, "Your card was declined. Please try another card."),
        (sandbox.INSUFFICIENT_FUNDS, "Your card has insufficient funds. Please try another card."),
    ],
)
def test_a_failed_card_releases_the_hold_with_a_clear_message(
    held: Booking, card: str, message: str
) -> None:
    payment = start(held)
    sandbox.pay_with_card(charge_of(payment), card)
    payment = domain.settle_payment(payment.pk)
    assert (payment.state, payment.message) == (State.FAILED, message)
    booking = Booking.objects.get(pk=held.pk)
    assert booking.status == Booking.Status.CANCELLED
    assert booking.engagement.status == Engagement.Status.CANCELLED
    assert LedgerEntry.objects.count() == 0


@pytest.mark.parametrize("approved", [True, False])
def test_a_card_that_needs_the_banks_confirmation_waits_for_it(
    held: Booking, approved: bool
) -> None:
    payment = start(held)
    sandbox.pay_with_card(charge_of(payment), sandbox.NEEDS_CONFIRMATION)
    assert domain.settle_payment(payment.pk).state == State.REQUIRES_ACTION
    sandbox.confirm(charge_of(payment), approved=approved)
    payment = domain.settle_payment(payment.pk)
    if approved:
        assert payment.state == State.SUCCEEDED
    else:
        assert (payment.state, payment.message) == (
            State.FAILED,
            "The payment was not confirmed with your bank.",
        )


def test_a_double_click_or_a_second_tab_never_charges_twice(held: Booking) -> None:
    first = start(held, key="same")
    again = start(held, key="same")
    other_tab = start(held, key="another")
    assert first.pk == again.pk == other_tab.pk
    assert Payment.objects.count() == 1
    assert SandboxCharge.objects.count() == 1


def test_a_time_no_longer_held_cannot_be_paid_for(held: Booking) -> None:
    later = timezone.now() + timedelta(minutes=11)
    with time_machine.travel(later), pytest.raises(ValidationError, match="no longer held"):
        start(held)
    assert Payment.objects.count() == 0


def test_a_payment_arriving_after_its_time_was_taken_is_given_back_in_full(
    bookable: Bookable, held: Booking, django_capture_on_commit_callbacks: Any
) -> None:
    payment = start(held)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        bookings.release_expired_holds()
        bookings.book(bookable.hour, make_user("quicker@example.com"), held.starts_at)
        sandbox.pay_with_card(charge_of(payment), sandbox.SUCCEEDS)
        with django_capture_on_commit_callbacks(execute=True):
            payment = domain.settle_payment(payment.pk)
    assert payment.state == State.SUCCEEDED
    assert Booking.objects.get(pk=held.pk).status == Booking.Status.EXPIRED
    refund = Refund.objects.get(payment=payment)
    assert (refund.amount, refund.state) == (24000, Refund.State.SENT)
    assert SandboxRefund.objects.get(key=refund.key).amount == 24000
    assert balance(escrow_of(held.engagement, payment.currency)) == 0
    assert balance(platform_account(Kind.REFUNDED, payment.currency)) == 24000


def test_a_refund_never_exceeds_what_was_paid(
    held: Booking, django_capture_on_commit_callbacks: Any
) -> None:
    payment = start(held)
    sandbox.pay_with_card(charge_of(payment), sandbox.SUCCEEDS)
    payment = domain.settle_payment(payment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        domain.refund_payment(payment, 20000, reason="Part of it back.")
    with pytest.raises(ValidationError, match="at most what is left"):
        domain.refund_payment(payment, 4001, reason="Too much.")
    with pytest.raises(ValidationError, match="Say why"):
        domain.refund_payment(payment, 1, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        domain.refund_payment(payment, 4000, reason="The rest.")
    assert balance(escrow_of(held.engagement, payment.currency)) == 0
    assert sum(SandboxRefund.objects.values_list("amount", flat=True)) == 24000


def test_webhooks_replayed_shuffled_or_tampered_change_nothing_wrongly(
    held: Booking, client: Client
) -> None:
    payment = start(held)
    charge = charge_of(payment)
    sandbox.pay_with_card(charge, sandbox.SUCCEEDS)
    events = [event_body(f"evt_{number}", charge.reference) for number in range(5)]
    unknown = event_body("evt_unknown", "sbx_nobody")
    # A tampered body (one byte changed) is refused and changes nothing.
    tampered = bytearray(events[0])
    tampered[-3] ^= 1
    assert deliver(client, bytes(tampered), sign(events[0])) == 400
    assert deliver(client, events[0], "t=1,v1=00") == 400  # too old, and wrong
    assert Payment.objects.get(pk=payment.pk).state == State.PENDING
    # Fifty deliveries, shuffled, of events that all say "look again".
    deliveries = [*events * 10, unknown]
    random.Random(7).shuffle(deliveries)
    assert {deliver(client, body) for body in deliveries} == {200}
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.state == State.SUCCEEDED
    assert balance(escrow_of(held.engagement, payment.currency)) == 24000
    assert LedgerEntry.objects.count() == 2
    assert WebhookEvent.objects.count() == 6
    assert Booking.objects.get(pk=held.pk).status == Booking.Status.CONFIRMED


def test_an_unknown_provider_or_a_get_is_not_a_webhook(client: Client) -> None:
    body = json.dumps({"id": "evt"}).encode()
    assert client.post("/payments/webhooks/nobody/", body, "application/json").status_code == 404
    assert client.get(reverse("payments:webhook", args=["sandbox"])).status_code == 405


def test_payment_pages_are_the_mentees_alone(
    held: Booking, client: Client, bookable: Bookable, stranger: User
) -> None:
    payment = start(held)
    client.force_login(stranger)
    assert client.get(reverse("payments:payment", args=[payment.pk])).status_code == 404
    assert client.get(reverse("payments:checkout", args=[held.pk])).status_code == 404
    client.force_login(bookable.mentor)
    assert client.get(reverse("payments:payment", args=[payment.pk])).status_code == 404
    assert client.get(reverse("payments:checkout", args=[held.pk])).status_code == 404
    client.force_login(held.mentee)
    page = client.get(reverse("payments:checkout", args=[held.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "240" in text and "36" in text and "15 %" in text  # the price, the 15 % fee


def test_the_checkout_form_takes_a_retry_once(held: Booking, client: Client) -> None:
    client.force_login(held.mentee)
    url = reverse("payments:checkout", args=[held.pk])
    first = client.post(url, {"key": "abc"})
    again = client.post(url, {"key": "abc"})
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert "/payments/sandbox/sbx_" in first["Location"]
    assert Payment.objects.count() == 1


def test_the_sandbox_card_page_refuses_what_is_not_a_test_card(
    held: Booking, client: Client, settings: Any
) -> None:
    charge = charge_of(start(held))
    client.force_login(held.mentee)
    url = reverse("payments:sandbox_pay", args=[charge.reference])
    page = client.post(url, {"number": "4111 1111 1111 1111", "expiry": "01/20", "code": "1"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "not one of the sandbox" in text
    assert "expired" in text and "3 or 4 digits" in text
    assert SandboxCharge.objects.get(pk=charge.pk).state == SandboxCharge.State.OPEN
