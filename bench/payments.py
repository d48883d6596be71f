"""Money: checkout to a confirmed booking through the sandbox provider, and the balance of a
ledger account with 100,000 entries.

Checkout is the mentee's own path, in process through Django's test client: the checkout
POST, the card on the sandbox's page, and the return page, which fetches the charge's state
and confirms the booking (the sandbox's webhook goes to the worker's queue, not run here).
Each round books a new time of a bench mentor first (bookings.domain.book), outside the
timing.

The ledger account gets its entries once and later runs reuse them: 100,000 balanced
transactions between the platform's RECEIVED and REVENUE accounts of the test currency XTS,
written in bulk for speed but as payments.ledger.post writes them (a transaction, its two
entries, and each account's kept balance raised by the same sums). Timed: the balance (kept on
the account's row), two balances in one query, and the sum of the account's entries (what the
day's ledger check compares the kept balance with).

Smoke mode (SMOKE): 2 checkouts, 100 entries, one read of each; nothing judged.
"""

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.test import Client
from django.utils import timezone

from bench.booking import busy_mentor
from bench.people import person
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.bookings.queries import open_times
from mentor247.payments.ledger import balance, balances, platform_account, summed_balances
from mentor247.payments.models import LedgerAccount, LedgerEntry, LedgerTransaction, Payment

Timer = Callable[..., tuple[float, float]]
BATCH = 5_000
CURRENCY = "XTS"  # ISO 4217's code for testing


@dataclass(frozen=True)
class Sizes:
    checkouts: int = 40
    entries: int = 100_000
    rounds: int = 200  # of each ledger read
    bookings: int = 200  # of the bench mentor (bench.booking)


FULL = Sizes()
SMOKE = Sizes(checkouts=2, entries=100, rounds=1, bookings=2)


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


def checkout(timed: Timer, sizes: Sizes) -> None:
    _profile, offering = busy_mentor(seed=11, bookings=sizes.bookings)
    if offering.is_free:
        offering = offering.profile.offerings.current().filter(price__gt=0).first() or offering
    mentee = person("payer@bench-payments.test")
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

    held = [next_booking() for _ in range(sizes.checkouts + 1)]
    _checkout_round(client, held.pop())  # warm templates and caches
    bookings_left = iter(held)
    median, p95 = timed(
        lambda: _checkout_round(client, next(bookings_left)), rounds=sizes.checkouts
    )
    paid = Payment.objects.filter(mentee=mentee, state=Payment.State.SUCCEEDED).count()
    print(
        f"checkout to confirmed booking (sandbox), {sizes.checkouts} checkouts: "
        f"median {median:.1f} ms, p95 {p95:.1f} ms ({paid} paid in all)"
    )


def ledger(timed: Timer, sizes: Sizes) -> None:
    kind = LedgerAccount.Kind
    account = platform_account(kind.RECEIVED, CURRENCY)
    other = platform_account(kind.REVENUE, CURRENCY)
    have = LedgerEntry.objects.filter(account=account).count()
    now = timezone.now()
    while have < sizes.entries:
        amounts = [(have + n) % 97 + 1 for n in range(min(BATCH, sizes.entries - have))]
        with transaction.atomic():
            records = LedgerTransaction.objects.bulk_create(
                LedgerTransaction(
                    kind=LedgerTransaction.Kind.FEE,
                    key=f"bench-payments:{uuid.uuid4().hex}",
                    memo="bench history",
                    created_at=now,
                )
                for _amount in amounts
            )
            LedgerEntry.objects.bulk_create(
                entry
                for record, amount in zip(records, amounts, strict=True)
                for entry in (
                    LedgerEntry(transaction=record, account=account, amount=-amount),
                    LedgerEntry(transaction=record, account=other, amount=amount),
                )
            )
            LedgerAccount.objects.filter(pk=account.pk).update(balance=F("balance") - sum(amounts))
            LedgerAccount.objects.filter(pk=other.pk).update(balance=F("balance") + sum(amounts))
        have += len(amounts)
    kept = balances([account, other])
    assert kept == summed_balances([account, other]), kept
    median, p95 = timed(lambda: balance(account), rounds=sizes.rounds)
    both, _p95 = timed(lambda: balances([account, other]), rounds=sizes.rounds)
    summed, summed_p95 = timed(lambda: summed_balances([account]), rounds=sizes.rounds)
    print(
        f"ledger balance of an account with {have:,} entries (kept on its row): median "
        f"{median:.2f} ms, p95 {p95:.2f} ms (target under 20 ms on PostgreSQL); two accounts "
        f"at once {both:.2f} ms; the sum of its entries: median {summed:.2f} ms, p95 "
        f"{summed_p95:.2f} ms"
    )


def run(*, timed: Timer, sizes: Sizes = FULL) -> None:
    checkout(timed, sizes)
    ledger(timed, sizes)
