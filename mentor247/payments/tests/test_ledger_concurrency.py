"""Movements made at the same moment from separate connections."""

import pytest

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.tests.conftest import at, make_bookable
from mentor247.conftest import race
from mentor247.payments.ledger import LedgerError, Leg, balance, post
from mentor247.payments.models import LedgerTransaction
from mentor247.payments.tests.conftest import Books, books_of

pytestmark = pytest.mark.django_db(transaction=True)
TX = LedgerTransaction.Kind


@pytest.fixture
def funded(transactional_db: None, mentee: User) -> Books:
    booking = bookings.book(make_bookable("max.mentor@example.com").hour, mentee, at(5, 10))
    books = books_of(booking.engagement)
    post(TX.PAYMENT, [Leg(books.received, -9000), Leg(books.escrow, 9000)], key="payment:1")
    return books


def test_the_same_movement_raced_is_recorded_once(funded: Books) -> None:
    def release() -> LedgerTransaction:
        legs = [Leg(funded.escrow, -9000), Leg(funded.payable, 9000)]
        return post(TX.RELEASE, legs, key="release:1")

    results = race(release, release, release, release)
    records = [result for result in results if isinstance(result, LedgerTransaction)]
    assert len(records) == 4, results
    assert len({record.pk for record in records}) == 1
    assert balance(funded.escrow) == 0
    assert balance(funded.payable) == 9000


def test_two_movements_draining_one_escrow_leave_it_at_zero_not_below(funded: Books) -> None:
    def take(key: str) -> object:
        legs = [Leg(funded.escrow, -6000), Leg(funded.refunded, 6000)]
        return post(TX.REFUND, legs, key=key)

    results = race(lambda: take("refund:1"), lambda: take("refund:2"))
    assert sorted(type(result).__name__ for result in results) == [
        "LedgerError",
        "LedgerTransaction",
    ]
    assert isinstance(next(r for r in results if isinstance(r, Exception)), LedgerError)
    assert balance(funded.escrow) == 3000


def test_two_confirms_of_the_same_payment_confirm_it_once(
    transactional_db: None, mentee: User
) -> None:
    from mentor247.bookings.models import Booking
    from mentor247.payments import domain, sandbox
    from mentor247.payments.models import LedgerEntry, Payment, SandboxCharge, WebhookEvent
    from mentor247.payments.providers.base import Event

    booking = bookings.book(make_bookable("max.mentor@example.com").hour, mentee, at(5, 10))
    payment, charge = domain.start_checkout(
        booking, mentee, idempotency_key="once", return_url=lambda made: "http://x/"
    )
    sandbox.pay_with_card(SandboxCharge.objects.get(reference=charge.reference), sandbox.SUCCEEDS)
    event = Event(id="evt_once", reference=charge.reference)
    results = race(
        lambda: domain.settle_payment(payment.pk),
        lambda: domain.settle_payment(payment.pk),
        lambda: domain.handle_event("sandbox", event),
        lambda: domain.handle_event("sandbox", event),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Payment.objects.get(pk=payment.pk).state == Payment.State.SUCCEEDED
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
    assert LedgerEntry.objects.count() == 2  # its movement into escrow, once
    assert WebhookEvent.objects.count() == 1
