"""The ledger's invariants, checked over the whole of it (manage.py verify_ledger, and daily
by the tick): the first one that does not hold is reported."""

from collections import defaultdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from mentor247.payments import rules
from mentor247.payments.ledger import NEVER_NEGATIVE, NEVER_POSITIVE
from mentor247.payments.models import (
    LedgerAccount,
    LedgerCheck,
    LedgerEntry,
    LedgerTransaction,
    Payment,
    PeriodicRun,
    Refund,
    Settlement,
)

Kind = LedgerAccount.Kind
TX = LedgerTransaction.Kind


class Violation(Exception):
    """An invariant of the ledger that does not hold; the message says which and where."""


def verify_ledger() -> int:
    """Checks every invariant, in this order, and raises Violation at the first broken one:
    each transaction balances in each currency; each account's kept balance is the sum of
    its entries and within its bound; each currency sums to zero over all accounts (money is
    neither made nor lost); each paid payment has exactly one payment transaction, of its
    amount, and nothing else has one; refunds never exceed their payment and each is in the
    ledger for its amount; each session's money is in one place (one settlement, one
    release, the release matching it); each release's fee is its share of the fee at the
    rate stored with the purchase. Returns how many transactions it checked."""
    _transactions_balance()
    _balances_kept()
    _conservation()
    _one_payment_transaction_per_payment()
    _refunds_within_payments()
    _sessions_settled_once()
    _fees_at_stored_rate()
    return LedgerTransaction.objects.count()


def _transactions_balance() -> None:
    unbalanced = (
        LedgerEntry.objects.values("transaction__key", "account__currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by("transaction__key")
        .first()
    )
    if unbalanced:
        raise Violation(
            f"transaction {unbalanced['transaction__key']} does not balance in "
            f"{unbalanced['account__currency']}: {unbalanced['total']:+d}"
        )


def _balances_kept() -> None:
    sums = dict(
        LedgerEntry.objects.values_list("account_id").annotate(total=Sum("amount")).order_by()
    )
    for account in LedgerAccount.objects.order_by("pk"):
        summed = int(sums.get(account.pk, 0))
        if account.balance != summed:
            raise Violation(f"{account} keeps {account.balance}, its entries sum to {summed}")
        if (account.kind in NEVER_NEGATIVE and summed < 0) or (
            account.kind in NEVER_POSITIVE and summed > 0
        ):
            raise Violation(f"{account} holds {summed}, past its bound")


def _conservation() -> None:
    for currency, total in (
        LedgerEntry.objects.values_list("account__currency")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        if total:
            raise Violation(f"the {currency} accounts sum to {total:+d}, not 0")


def _one_payment_transaction_per_payment() -> None:
    counts = dict(
        LedgerTransaction.objects.filter(kind=TX.PAYMENT)
        .values_list("payment_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    into_escrow = dict(
        LedgerEntry.objects.filter(transaction__kind=TX.PAYMENT, account__kind=Kind.ESCROW)
        .values_list("transaction__payment_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    paid = set()
    for pk, amount in Payment.objects.filter(state=Payment.State.SUCCEEDED).values_list(
        "pk", "amount"
    ):
        paid.add(pk)
        if counts.get(pk) != 1:
            raise Violation(f"payment {pk} has {counts.get(pk, 0)} payment transactions, not 1")
        if into_escrow.get(pk) != amount:
            raise Violation(f"payment {pk} of {amount} put {into_escrow.get(pk)} into escrow")
    others = set(counts) - paid
    if others:
        raise Violation(f"payment {min(others, key=str)} is not paid but has a payment transaction")


def _refunds_within_payments() -> None:
    given = dict(Refund.objects.values_list("payment_id").annotate(total=Sum("amount")).order_by())
    for pk, amount in Payment.objects.filter(pk__in=given).values_list("pk", "amount"):
        if given[pk] > amount:
            raise Violation(f"payment {pk} of {amount} was refunded {given[pk]}")
    in_ledger = {
        key: int(total)
        for key, total in LedgerEntry.objects.filter(
            transaction__kind=TX.REFUND, account__kind=Kind.REFUNDED
        )
        .values_list("transaction__key")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    for pk, amount in Refund.objects.values_list("pk", "amount"):
        if in_ledger.get(f"refund:{pk}") != amount:
            raise Violation(
                f"refund {pk} of {amount} is {in_ledger.get(f'refund:{pk}')} in the ledger"
            )


def _sessions_settled_once() -> None:
    releases: dict[int, int] = defaultdict(int)
    out_of_escrow: dict[int, int] = {}
    for booking_id, total in (
        LedgerEntry.objects.filter(transaction__kind=TX.RELEASE, account__kind=Kind.ESCROW)
        .values_list("transaction__booking_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        out_of_escrow[booking_id] = -int(total)
    for booking_id in LedgerTransaction.objects.filter(kind=TX.RELEASE).values_list(
        "booking_id", flat=True
    ):
        releases[booking_id] += 1
    settled = {
        booking_id: (outcome, amount)
        for booking_id, outcome, amount in Settlement.objects.values_list(
            "booking_id", "outcome", "amount"
        )
    }
    for booking_id, count in releases.items():
        outcome, amount = settled.get(booking_id, ("", 0))
        if count != 1 or outcome != Settlement.Outcome.RELEASED:
            raise Violation(f"booking {booking_id} has {count} releases and settlement {outcome!r}")
        if out_of_escrow.get(booking_id) != amount:
            raise Violation(
                f"booking {booking_id} released {out_of_escrow.get(booking_id)}, settled {amount}"
            )
    for booking_id, (outcome, amount) in settled.items():
        if outcome == Settlement.Outcome.RELEASED and amount and booking_id not in releases:
            raise Violation(f"booking {booking_id} is settled as released with no release")


def _fees_at_stored_rate() -> None:
    rows = Settlement.objects.order_by("pk").values_list(
        "booking_id",
        "outcome",
        "amount",
        "fee",
        "booking__engagement_id",
        "booking__engagement__price",
        "booking__engagement__platform_fee_rate",
        "booking__engagement__credits",
    )
    fees = dict(
        LedgerEntry.objects.filter(transaction__kind=TX.RELEASE, account__kind=Kind.REVENUE)
        .values_list("transaction__booking_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    settled: dict[int, int] = defaultdict(int)  # settlements so far, by engagement
    for booking_id, outcome, amount, fee, engagement, price, rate, credits in rows.iterator():
        place = min(settled[engagement], credits - 1)
        settled[engagement] += 1
        if outcome != Settlement.Outcome.RELEASED:
            continue
        whole = rules.platform_fee(price, rate)
        expected = min(rules.session_share(whole, credits, place), amount)
        kept = int(fees.get(booking_id, 0))
        if fee != expected or kept != expected:
            raise Violation(
                f"booking {booking_id}: fee {kept} in the ledger, {fee} settled, "
                f"{expected} at the stored rate"
            )


def check_daily(now: datetime | None = None) -> LedgerCheck | None:
    """The tick's ledger step: verify_ledger once a day, its outcome kept as a LedgerCheck
    that staff see. None when today's check has run already."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=f"verify_ledger:{now:%Y-%m-%d}", ran_at=now)
    except IntegrityError:
        return None
    return record_check(now)


def record_check(now: datetime | None = None) -> LedgerCheck:
    """Runs verify_ledger and keeps its outcome."""
    try:
        checked = verify_ledger()
    except Violation as violation:
        return LedgerCheck.objects.create(
            ran_at=now or timezone.now(), ok=False, problem=str(violation)
        )
    return LedgerCheck.objects.create(ran_at=now or timezone.now(), ok=True, checked=checked)


__all__ = ["Violation", "check_daily", "record_check", "verify_ledger"]
