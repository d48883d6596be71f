"""What the money pages read: a mentor's earnings by currency, and their statement."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from mentor247.mentors.models import MentorProfile
from mentor247.payments.ledger import balances
from mentor247.payments.models import LedgerAccount, LedgerEntry
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
