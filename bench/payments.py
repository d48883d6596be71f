"""Money: checkout to a confirmed booking through the sandbox provider, and the balance of a
ledger account with 100,000 entries.

Checkout is the mentee's own path, in process through Django's test client: the checkout
POST, the card on the sandbox's page, and the return page, which fetches the charge's state
and confirms the booking (the sandbox's webhook goes to the worker's queue, not run here).
Each round books a new time of a bench mentor first, outside the timing.

The ledger account gets its entries once (bulk, 100,000 balanced transactions against a second
account in the test currency XTS); later runs reuse them.
"""

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.test import Client
from django.utils import timezone

from bench.booking import _person, busy_mentor
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.bookings.queries import open_times
from mentor247.payments.ledger import balance, balances, platform_account
from mentor247.payments.models import LedgerAccount, LedgerEntry, LedgerTransaction, Payment

Timer = Callable[..., tuple[float, float]]
CHECKOUTS = 40
ENTRIES = 100_000
BATCH = 5_000


def _checkout_round(client: Client, booking: Booking) -> None:
    key = secrets.token_urlsafe(12)
    paying = client.post(f"/payments/checkout/{booking.pk}/", {"key": key})
    assert paying.status_code == 302, paying.status_code
    card_page = paying["Location"].split("://", 1)[1].split("/", 1)[1]
    paid = client.post(
        "/" + card_page, {"number": "4242424242424242", "expiry": "12/40", "code": "123"}
    )
    assert paid.status_code == 302, paid.status_code
    back = client.get(paid["Location"])
    assert back.status_code == 200
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


def checkout(timed: Timer) -> None:
    _profile, offering = busy_mentor(seed=11)
    if offering.is_free:
        offering = offering.profile.offerings.current().filter(price__gt=0).first() or offering
    mentee = _person("payer@bench-payments.test")
    client = Client()
    client.force_login(mentee)
    now = timezone.now()
    times = iter(
        open_times(
            offering.profile,
            minutes=offering.session_minutes,
            start=now + timedelta(days=1),
            end=now + timedelta(days=60),
        )
    )
    held: list[Booking] = []

    def next_booking() -> Booking:
        while True:
            try:
                return bookings.book(offering, mentee, next(times))
            except bookings.Conflict:
                continue

    held = [next_booking() for _ in range(CHECKOUTS + 1)]
    _checkout_round(client, held.pop())  # warm templates and caches
    bookings_left = iter(held)
    median, p95 = timed(lambda: _checkout_round(client, next(bookings_left)), rounds=CHECKOUTS)
    paid = Payment.objects.filter(mentee=mentee, state=Payment.State.SUCCEEDED).count()
    print(
        f"checkout to confirmed booking (sandbox), {CHECKOUTS} checkouts: "
        f"median {median:.1f} ms, p95 {p95:.1f} ms ({paid} paid in all)"
    )


def ledger(timed: Timer) -> None:
    kind = LedgerAccount.Kind
    account = platform_account(kind.PROVIDER_FEES, "XTS")
    other = platform_account(kind.REVENUE, "XTS")
    have = LedgerEntry.objects.filter(account=account).count()
    now = timezone.now()
    start = have
    while start < ENTRIES:
        count = min(BATCH, ENTRIES - start)
        with transaction.atomic():
            records = LedgerTransaction.objects.bulk_create(
                LedgerTransaction(kind="fee", key=f"bench:{start + n}", created_at=now)
                for n in range(count)
            )
            LedgerEntry.objects.bulk_create(
                entry
                for n, record in enumerate(records)
                for entry in (
                    LedgerEntry(transaction=record, account=account, amount=(start + n) % 97 + 1),
                    LedgerEntry(transaction=record, account=other, amount=-((start + n) % 97 + 1)),
                )
            )
        start += count
    expected = sum(n % 97 + 1 for n in range(ENTRIES))
    assert balance(account) == expected
    median, p95 = timed(lambda: balance(account), rounds=200)
    both, _p95 = timed(lambda: balances([account, other]), rounds=200)
    print(
        f"ledger balance of an account with {ENTRIES:,} entries: median {median:.2f} ms, "
        f"p95 {p95:.2f} ms (target under 20 ms on PostgreSQL); two accounts at once "
        f"{both:.2f} ms"
    )


def run(*, timed: Timer) -> None:
    checkout(timed)
    ledger(timed)
