"""The ledger at scale: one payment against a small and a large history in its currency, 50
payments in one currency at once, and one tick of the periodic work with 100,000 past
engagements.

Every payment is real: a time booked through the domain, a checkout with the sandbox
provider, and the sandbox's test card charged. What is timed is `settle_payment`, which
fetches the charge's state, confirms the booking and posts the money into escrow (from
capture to confirmed booking). Mentors come from demo.mentors with a paid hour, a free half
hour and a package of two hours, open at all hours; each has one mentee of their own, so no
two bookings of the benchmark meet.

History is written in bulk and is not timed: balanced ledger transactions between the
platform's RECEIVED and REVENUE accounts of a currency (their balances raised by the same
sums), and past engagements (ended, their one session completed and settled). Later runs
reuse it, or trim it back to size. BENCH_LEDGER_ENTRIES and BENCH_TICK_ENGAGEMENTS change the
large sizes (1,000,000 ledger entries, 100,000 past engagements).
"""

import os
import statistics
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from bench.mentor_search import analyse
from bench.people import charge, person
from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking, Engagement
from mentor247.demo.mentors import create_demo_mentor, demo_mentors
from mentor247.mentors.domain import OfferingTerms, add_offering
from mentor247.mentors.models import MentorProfile, Offering
from mentor247.payments import domain as payments
from mentor247.payments.ledger import balances, platform_account, summed_balances
from mentor247.payments.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Payment,
    Settlement,
)
from mentor247.payments.verify import record_check
from mentor247.periodic import tick
from mentor247.policies.models import MENTOR_KINDS
from mentor247.policies.queries import versions_in_effect
from mentor247.scheduling.domain import AvailabilityTerms, BookingSettings, replace_availability

T = TypeVar("T")
Timer = Callable[..., tuple[float, float]]
Queries = Callable[[Callable[[], object]], int]
Kind = LedgerAccount.Kind
Status = Booking.Status

DOMAIN = "bench-ledger.test"
CURRENCY = "EUR"
# The small history has a currency of its own: the large one stays in EUR, and ledger
# entries are never removed, so a later run could not bring EUR back down to 1,000.
SMALL_CURRENCY = "GBP"


@dataclass(frozen=True)
class Sizes:
    small_entries: int = 1_000
    large_entries: int = int(os.environ.get("BENCH_LEDGER_ENTRIES", "1000000"))
    payments: int = 30  # timed at each size
    payment_pairs: int = 4
    racers: int = 50
    races: int = 5
    tick_pairs: int = 5
    small_history: int = 1_000
    large_history: int = int(os.environ.get("BENCH_TICK_ENGAGEMENTS", "100000"))
    due_each: int = 20  # of each of the five kinds of due work: 100 in all
    idle_ticks: int = 20


FULL = Sizes()
SMOKE = Sizes(
    small_entries=10,
    large_entries=20,
    payments=1,
    payment_pairs=1,
    racers=2,
    races=1,
    tick_pairs=1,
    small_history=3,
    large_history=6,
    due_each=1,
    idle_ticks=1,
)
BATCH = 5_000  # rows written per transaction
# Marks the ledger transactions written in bulk, so that a later run finds them.
HISTORY_KEY = "bench-history:"
PRICE = 9000
DAYS = 90

PAID = OfferingTerms(
    title="An hour of mentoring",
    description="We work on what matters to you now.",
    session_count=1,
    session_minutes=60,
    price=PRICE,
    plan=("Where you are and what comes next",),
    expected_results="A clear next step.",
    not_included="Homework.",
    credit_days=DAYS,
)
FREE = replace(PAID, title="A first talk", session_minutes=30, price=0)
PACKAGE = replace(
    PAID,
    title="Two hours of mentoring",
    session_count=2,
    price=2 * PRICE,
    plan=("Where you are", "What comes next"),
)
ALWAYS = AvailabilityTerms(
    weekly_hours=[[(0, 24 * 60)]] * 7,
    settings=BookingSettings(minimum_notice=0, horizon_days=DAYS, slot_grid=15),
)


# People and payments ----------------------------------------------------------------------


@dataclass
class Pair:
    """A bench mentor and the one mentee who books them, with the next time to try."""

    mentor: MentorProfile
    paid: Offering
    free: Offering
    package: Offering
    mentee: User
    after: datetime


def _pairs(tag: str, count: int, currency: str) -> list[Pair]:
    staff = person(f"staff@{DOMAIN}", staff=True)
    unusable = make_password(None)
    now = timezone.now()
    pairs = []
    for number, demo in enumerate(demo_mentors(count, domain=f"{tag}.{DOMAIN}")):
        demo = replace(
            demo,
            details=replace(demo.details, currency=currency),
            offerings=(PAID, FREE, PACKAGE),
        )
        profile = create_demo_mentor(demo, staff=staff, password_hash=unusable)
        replace_availability(profile, ALWAYS)
        current = profile.offerings.current()
        mentee = person(f"mentee{number}@{tag}.{DOMAIN}")
        latest = Booking.objects.filter(
            Q(mentor=profile) | Q(mentee=mentee), status__in=Booking.ACTIVE
        ).aggregate(end=Max("ends_at"))["end"]
        start = max(now + timedelta(days=1), latest or now)
        pairs.append(
            Pair(
                mentor=profile,
                paid=current.get(price__gt=0, session_count=1),
                free=current.get(price=0),
                package=current.filter(session_count=2).first() or add_offering(profile, PACKAGE),
                mentee=mentee,
                after=start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1),
            )
        )
    return pairs


def _book(pair: Pair, offering: Offering) -> Booking:
    """A new booking of `offering` at the pair's next free hour."""
    last = timezone.now() + timedelta(days=DAYS - 1)
    while pair.after < last:
        start, pair.after = pair.after, pair.after + timedelta(hours=1)
        try:
            return bookings.book(offering, pair.mentee, start)
        except bookings.Conflict:
            continue
    raise RuntimeError(f"{pair.mentor} has no free hour left: run on a fresh database")


def _charged(pair: Pair, offering: Offering | None = None) -> int:
    """A held booking whose sandbox payment was charged; the platform has not heard yet."""
    return charge(_book(pair, offering or pair.paid), pair.mentee)


def _confirmed(payment_ids: list[int]) -> int:
    return Booking.objects.filter(
        payments__pk__in=payment_ids,
        payments__state=Payment.State.SUCCEEDED,
        status=Status.CONFIRMED,
    ).count()


def _since(start: float) -> float:
    return time.perf_counter() - start


def _once(timed: Timer, queries: Queries, action: Callable[[], T]) -> tuple[float, int, T]:
    """One call of `action`, timed, with its queries counted: ms, queries and its result."""
    results: list[T] = []
    counts: list[int] = []
    duration, _p95 = timed(
        lambda: counts.append(queries(lambda: results.append(action()))), rounds=1
    )
    return duration, counts[0], results[0]


# 1. One payment, small and large ledger -----------------------------------------------------


def _fill_ledger(currency: str, entries: int) -> int:
    """Tops the currency's ledger up to `entries` entries; returns how many it holds."""
    received = platform_account(Kind.RECEIVED, currency)
    revenue = platform_account(Kind.REVENUE, currency)
    have = LedgerEntry.objects.filter(account__currency=currency).count()
    now = timezone.now()
    while have < entries:
        count = min(BATCH, (entries - have + 1) // 2)
        amounts = [(have // 2 + n) % 97 + 1 for n in range(count)]
        with transaction.atomic():
            records = LedgerTransaction.objects.bulk_create(
                LedgerTransaction(
                    kind=LedgerTransaction.Kind.FEE,
                    key=f"{HISTORY_KEY}{uuid.uuid4().hex}",
                    memo="bench history",
                    created_at=now,
                )
                for _n in range(count)
            )
            LedgerEntry.objects.bulk_create(
                entry
                for record, amount in zip(records, amounts, strict=True)
                for entry in (
                    LedgerEntry(transaction_id=record.pk, account_id=received.pk, amount=-amount),
                    LedgerEntry(transaction_id=record.pk, account_id=revenue.pk, amount=amount),
                )
            )
            total = sum(amounts)
            LedgerAccount.objects.filter(pk=received.pk).update(balance=F("balance") - total)
            LedgerAccount.objects.filter(pk=revenue.pk).update(balance=F("balance") + total)
        have += 2 * count
    kept = balances([received, revenue])
    assert kept == summed_balances([received, revenue]), kept
    return have


@dataclass
class Size:
    """One currency's ledger and the payments made in it, ready to be settled."""

    currency: str
    entries: int
    made: list[int]
    samples: list[float]


def _settle_next(size: Size) -> None:
    payments.settle_payment(size.made[len(size.samples)])


def one_payment(timed: Timer, queries: Queries, sizes: Sizes) -> None:
    """`payments` payments in a currency whose ledger holds `small_entries` entries and as
    many in one with `large_entries`; their medians, 95th percentiles, queries and ratio."""
    start = time.perf_counter()
    ledgers = [
        Size(currency, _fill_ledger(currency, entries), [], [])
        for currency, entries in (
            (SMALL_CURRENCY, sizes.small_entries),
            (CURRENCY, sizes.large_entries),
        )
    ]
    analyse()
    filled = _since(start)
    counts = []
    for size in ledgers:
        pairs = _pairs(f"pay-{size.currency.lower()}", sizes.payment_pairs, size.currency)
        size.made = [_charged(pairs[n % len(pairs)]) for n in range(sizes.payments + 2)]
        payments.settle_payment(size.made.pop())  # warm caches
        counts.append(queries(partial(payments.settle_payment, size.made.pop())))
    # In turns, so that a busy moment of the machine falls on both sizes alike.
    for _round in range(sizes.payments):
        for size in ledgers:
            size.samples.append(timed(partial(_settle_next, size), rounds=1)[0])
    print(
        f"payment to confirmed booking (settle_payment of a charged sandbox payment), "
        f"{sizes.payments} payments at each size, in turns (history ready in {filled:.1f} s):"
    )
    for size, count in zip(ledgers, counts, strict=True):
        assert _confirmed(size.made) == sizes.payments, "a payment did not confirm its booking"
        samples = sorted(size.samples)
        print(
            f"  {size.currency} ledger with {size.entries:>9,} entries: median "
            f"{statistics.median(samples):6.2f} ms, "
            f"p95 {samples[max(0, int(sizes.payments * 0.95) - 1)]:6.2f} "
            f"ms, {count} queries"
        )
    small, large = (statistics.median(size.samples) for size in ledgers)
    print(f"  ratio of the medians, large / small: {large / small:.2f}")


# 2. 50 payments at once --------------------------------------------------------------------


def at_once(sizes: Sizes) -> None:
    """`races` rounds of `racers` payments in one currency settled at once, each in a thread on
    a connection of its own: payments a second, median and 95th percentile latency."""
    if connection.vendor != "postgresql":
        print(
            f"{sizes.racers} payments at once: skipped "
            f"(PostgreSQL only; this is {connection.vendor})"
        )
        return
    pairs = _pairs("race", sizes.racers, CURRENCY)
    received = platform_account(Kind.RECEIVED, CURRENCY)
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    spent = 0.0
    confirmed = 0
    for _race in range(sizes.races):
        made = [_charged(pair) for pair in pairs]
        before = balances([received])[received.pk]
        spans: list[tuple[float, float]] = []
        barrier = threading.Barrier(sizes.racers)

        def settle(
            payment_id: int,
            barrier: threading.Barrier = barrier,
            spans: list[tuple[float, float]] = spans,
        ) -> None:
            try:
                barrier.wait()
                began = time.perf_counter()
                payments.settle_payment(payment_id)
                spans.append((began, time.perf_counter()))
            except Exception as error:
                errors[type(error).__name__] += 1
            finally:
                connection.close()

        threads = [threading.Thread(target=settle, args=(pk,)) for pk in made]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if spans:
            spent += max(end for _began, end in spans) - min(began for began, _end in spans)
        latencies.extend((end - began) * 1000 for began, end in spans)
        confirmed += _confirmed(made)
        after = balances([received])[received.pk]
        assert before - after == PRICE * _confirmed(made), (before, after)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    median = statistics.median(latencies)
    print(
        f"{sizes.racers} payments at once in {CURRENCY}, {sizes.races} rounds, one thread and "
        f"connection "
        f"each: {len(latencies) / spent:.0f} payments a second, median {median:.0f} ms, "
        f"p95 {p95:.0f} ms; {confirmed} of {sizes.racers * sizes.races} bookings confirmed; "
        f"errors {dict(errors) or 'none'}"
    )


# 3. One tick with a long history --------------------------------------------------------------


def _history(pairs: list[Pair], size: int) -> None:
    """Exactly `size` past engagements of the pairs: ended, with one completed session each,
    settled (amount 0: their money is not in the ledger, which stays as verify_ledger
    expects). No DueSession rows: nothing about them is due.

    Written in bulk, since the domain would take hours for this many, but with the fields
    the domain sets: an engagement as bookings.domain.book makes it (its terms, and the
    policy versions in effect) and end_engagement ends it, a booking as book and
    close_booking leave it, a settlement as payments.domain.settle_session writes it."""
    mentors = [pair.mentor for pair in pairs]
    versions = list(versions_in_effect(MENTOR_KINDS))
    # Written with no money in the ledger: the only paid sessions settled for nothing.
    history = Booking.objects.filter(
        mentor__in=mentors,
        status=Status.COMPLETED,
        engagement__offering__price__gt=0,
        settlement__amount=0,
    )
    have = history.count()
    if have > size:
        cut = history.order_by("pk").values_list("pk", flat=True)[size]
        with transaction.atomic():
            doomed = history.filter(pk__gte=cut)
            Settlement.objects.filter(booking__in=doomed).delete()
            doomed.delete()
            Engagement.objects.filter(
                mentor__in=mentors, status=Engagement.Status.ENDED, bookings__isnull=True
            ).delete()
        have = size
    now = timezone.now()
    base = now - timedelta(days=30)
    while have < size:
        numbers = range(have, min(have + BATCH, size))
        starts = [base - timedelta(hours=n) for n in numbers]
        owners = [pairs[n % len(pairs)] for n in numbers]
        with transaction.atomic():
            engagements = Engagement.objects.bulk_create(
                Engagement(
                    mentee_id=pair.mentee.pk,
                    mentor_id=pair.mentor.pk,
                    offering_id=pair.paid.pk,
                    status=Engagement.Status.ENDED,
                    credits=1,
                    price=PRICE,
                    currency=CURRENCY,
                    platform_fee_rate=settings.PLATFORM_FEE_BASIS_POINTS,
                    free_change_hours=settings.BOOKING_FREE_CHANGE_HOURS,
                    created_at=start - timedelta(days=7),
                    confirmed_at=start - timedelta(days=7),
                    expires_at=start + timedelta(days=DAYS - 7),
                )
                for pair, start in zip(owners, starts, strict=True)
            )
            Terms = Engagement.policy_versions.through
            Terms.objects.bulk_create(
                Terms(engagement_id=engagement.pk, policyversion_id=version.pk)
                for engagement in engagements
                for version in versions
            )
            booked = Booking.objects.bulk_create(
                Booking(
                    engagement_id=engagement.pk,
                    mentor_id=pair.mentor.pk,
                    mentee_id=pair.mentee.pk,
                    status=Status.COMPLETED,
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                    blocked_from=start,
                    blocked_until=start + timedelta(hours=1),
                    created_at=start - timedelta(days=7),
                    confirmed_at=start - timedelta(days=7),
                )
                for engagement, pair, start in zip(engagements, owners, starts, strict=True)
            )
            Settlement.objects.bulk_create(
                Settlement(
                    booking_id=booking.pk,
                    outcome=Settlement.Outcome.RELEASED,
                    amount=0,
                    created_at=booking.ends_at + timedelta(days=1),
                )
                for booking in booked
            )
        have += len(numbers)


def _move(booking_id: int, start: datetime) -> None:
    """Moves a booking to `start`: the domain books only times to come, so a session of the
    past is booked ahead and then moved back."""
    length = Booking.objects.values_list("ends_at", "starts_at").get(pk=booking_id)
    end = start + (length[0] - length[1])
    Booking.objects.filter(pk=booking_id).update(
        starts_at=start, ends_at=end, blocked_from=start, blocked_until=end
    )


def _paid_and_past(pair: Pair, offering: Offering, start: datetime) -> Booking:
    """A session of `offering` paid for, confirmed (so its money waits in a DueSession row),
    then held at `start` and completed."""
    payment = Payment.objects.get(pk=_charged(pair, offering))
    payments.settle_payment(payment.pk)
    _move(payment.booking_id, start)
    return bookings.close_booking(Booking.objects.get(pk=payment.booking_id), Status.COMPLETED)


def _due_work(pairs: list[Pair], sizes: Sizes) -> None:
    """`due_each` of each of five kinds of work the next tick must do, made as in real life:
    holds whose time ran out; free sessions nobody came to, past their no-show mark; paid
    sessions completed and past the dispute window (DueSession rows); charged payments whose
    webhook never came, due to be asked about again; and packages whose time to book ran
    out with a session never booked (its money goes back)."""
    now = timezone.now()
    pair_of = [pairs[n % len(pairs)] for n in range(sizes.due_each)]
    # The holds run out last: booking again for the same people releases their expired holds.
    holds = [_book(pair, pair.paid).pk for pair in pair_of]
    for n, pair in enumerate(pair_of):
        _move(_book(pair, pair.free).pk, now - timedelta(hours=2 + n))
    past_window = now - timedelta(hours=settings.PAYMENTS_DISPUTE_HOURS, days=1)
    for n, pair in enumerate(pair_of):
        _paid_and_past(pair, pair.paid, past_window - timedelta(hours=n))
    for n, pair in enumerate(pair_of):
        first = _paid_and_past(pair, pair.package, past_window - timedelta(days=1, hours=n))
        payments.settle_session(first.pk)
        Engagement.objects.filter(pk=first.engagement_id).update(
            expires_at=now - timedelta(minutes=1)
        )
    unheard = [_charged(pair) for pair in pair_of]
    Payment.objects.filter(pk__in=unheard).update(next_check_at=now - timedelta(minutes=1))
    Booking.objects.filter(pk__in=holds).update(hold_expires_at=now - timedelta(minutes=1))


def one_tick(timed: Timer, queries: Queries, sizes: Sizes) -> None:
    """One tick with 5 x `due_each` due items after `small_history`, then `large_history`, past
    engagements: its duration and queries; then ticks with nothing due, and the day's ledger
    check, at each size."""
    pairs = _pairs("tick", sizes.tick_pairs, CURRENCY)
    # The worker's process has done such work before: its first time fills caches.
    _due_work(pairs, sizes)
    tick()
    counts: list[int] = []
    for size in (sizes.small_history, sizes.large_history):
        start = time.perf_counter()
        _history(pairs, size)
        analyse()
        made = _since(start)
        # Whatever an earlier run left due, today's ledger check and this week's payouts run
        # here, so that the tick measured is any tick of the day but the first.
        tick()
        _due_work(pairs, sizes)
        duration, count, done = _once(timed, queries, tick)
        assert -1 not in done.values(), done
        counts.append(count)
        # Nothing is due now: what such a tick costs is what it reads to find that out.
        idle, idle_p95 = timed(tick, rounds=sizes.idle_ticks)
        idle_count = queries(tick)
        check_ms, check_count, check = _once(timed, queries, record_check)
        engagements, booked = Engagement.objects.count(), Booking.objects.count()
        print(
            f"tick with {size:,} past engagements ({engagements:,} engagements and "
            f"{booked:,} bookings in the database; history ready in {made:.1f} s):"
        )
        print(f"  {5 * sizes.due_each} due items: {duration:.0f} ms, {count} queries; did {done}")
        print(
            f"  nothing due, {sizes.idle_ticks} ticks: median {idle:.1f} ms, "
            f"p95 {idle_p95:.1f} ms, "
            f"{idle_count} queries"
        )
        print(
            f"  the day's ledger check (record_check, in the day's first tick): "
            f"{check_ms:.0f} ms, {check_count} queries, "
            f"{'ok' if check.ok else 'FAILED: ' + check.problem}"
        )
    same = "the same" if counts[0] == counts[1] else "NOT the same"
    print(f"  queries of the tick at {sizes.small_history:,} and {sizes.large_history:,}: {same}")


def run(*, timed: Timer, queries: Queries, sizes: Sizes = FULL) -> None:
    print(f"database: {connection.vendor}")
    one_payment(timed, queries, sizes)
    at_once(sizes)
    one_tick(timed, queries, sizes)
