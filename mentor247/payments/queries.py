"""What the money pages read: a mentor's earnings by currency, and their statement."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from mentor247.mentors.models import MentorProfile
from mentor247.payments.ledger import balances
from mentor247.payments.models import LedgerAccount, LedgerEntry, LedgerTransaction, Payment
from mentor247.payments.rules import platform_fee

Kind = LedgerAccount.Kind


@dataclass
class Earnings:
    """A mentor's money in one currency: still in escrow for sessions to come (less the
    platform's fee), available to pay out, on its way to them, and paid."""

    currency: str
    in_escrow: int = 0
    available: int = 0
    in_transit: int = 0
    paid: int = 0


def earnings_of(mentor: MentorProfile) -> list[Earnings]:
    """One row per currency the mentor has money in, in two queries."""
    accounts = list(
        LedgerAccount.objects.filter(
            Q(mentor=mentor) | Q(kind=Kind.ESCROW, engagement__mentor=mentor)
        ).select_related("engagement")
    )
    held = balances(accounts)
    rows: dict[str, Earnings] = defaultdict(lambda: Earnings(currency=""))
    for account in accounts:
        row = rows[account.currency]
        row.currency = account.currency
        amount = held[account.pk]
        if account.kind == Kind.ESCROW:
            assert account.engagement is not None
            rate = account.engagement.platform_fee_rate
            row.in_escrow += amount - platform_fee(amount, rate)
        elif account.kind == Kind.PAYABLE:
            row.available += amount
        elif account.kind == Kind.IN_TRANSIT:
            row.in_transit += amount
        elif account.kind == Kind.PAID_OUT:
            row.paid += amount
    return sorted(rows.values(), key=lambda row: row.currency)


def statement_of(mentor: MentorProfile) -> QuerySet[LedgerEntry]:
    """Every entry of the mentor's own accounts (payable, in transit, paid out), newest first."""
    return (
        LedgerEntry.objects.filter(account__mentor=mentor)
        .select_related("account", "transaction__booking")
        .order_by("-transaction__created_at", "-pk")
    )


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of `month` (any day in it) and of the next, in the current time zone."""
    zone = timezone.get_current_timezone()
    start = datetime(month.year, month.month, 1, tzinfo=zone)
    following = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=zone)
    return start, following


def recent_months(count: int = 12) -> list[date]:
    """The first days of this month and of the `count` - 1 before it (in the current time
    zone), newest first."""
    first = timezone.localdate().replace(day=1)
    months = [first]
    for _n in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


def statement_for_month(
    mentor: MentorProfile, month: date
) -> tuple[list[LedgerEntry], dict[tuple[str, str], int]]:
    """The entries of the mentor's own accounts in `month`, oldest first, and their sum by
    account (its kind's name and currency)."""
    start, end = month_bounds(month)
    entries = list(
        statement_of(mentor)
        .filter(transaction__created_at__gte=start, transaction__created_at__lt=end)
        .order_by("transaction__created_at", "pk")
    )
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for entry in entries:
        totals[str(entry.account.get_kind_display()), entry.account.currency] += entry.amount
    return entries, dict(totals)


@dataclass
class Bar:
    month: date
    amount: int
    height: int  # of the chart's 100
    x: int

    @property
    def y(self) -> int:
        return 110 - self.height  # the bars stand on a line 110 from the top


def monthly_earnings(mentor: MentorProfile, currency: str, *, months: int = 12) -> list[Bar]:
    """What was released to the mentor in each of the last `months` months (in the current
    time zone), as bars of a chart 100 high, in one query."""
    firsts = recent_months(months)[::-1]
    start, _end = month_bounds(firsts[0])
    sums = dict(
        LedgerEntry.objects.filter(
            account__mentor=mentor,
            account__kind=Kind.PAYABLE,
            account__currency=currency,
            transaction__kind=LedgerTransaction.Kind.RELEASE,
            transaction__created_at__gte=start,
        )
        .annotate(month=TruncMonth("transaction__created_at"))
        .values_list("month")
        .annotate(total=Sum("amount"))
    )
    by_month = {
        (moment.date() if isinstance(moment, datetime) else moment): int(total)
        for moment, total in sums.items()
    }
    top = max([*by_month.values(), 1])
    return [
        Bar(first, by_month.get(first, 0), round(100 * by_month.get(first, 0) / top), 10 + 30 * n)
        for n, first in enumerate(firsts)
    ]


def receipt_of(payment: Payment) -> dict[str, Any]:
    """What a receipt states of `payment`: its refunds, what was given back in all, what the
    platform kept, and of that the platform's fee taken so far (the fee of each session
    settled to the mentor; a session still to come has none taken yet)."""
    refunds = list(payment.refunds.order_by("created_at"))
    refunded = sum(refund.amount for refund in refunds)
    fee = LedgerEntry.objects.filter(
        transaction__kind=LedgerTransaction.Kind.RELEASE,
        transaction__payment=payment,
        account__kind=Kind.REVENUE,
    ).aggregate(total=Sum("amount"))["total"]
    return {
        "refunds": refunds,
        "refunded": refunded,
        "kept": payment.amount - refunded,
        "fee": int(fee or 0),
    }
