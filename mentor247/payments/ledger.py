"""The one writer of the ledger (payments.models), and its balances.

`post` records one movement of money: its entries must balance in every currency, and no
account may end below its floor (an escrow cannot pay out more than it holds, a mentor cannot
be paid more than is payable). The accounts it touches are locked, in the order of their ids,
so two movements of the same account are checked one after the other. Every movement has a
key naming what it is for, so a movement retried or raced is made once: the second `post`
with a key returns the first one's transaction.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from mentor247.bookings.models import Booking, Engagement
from mentor247.mentors.models import MentorProfile
from mentor247.payments.models import LedgerAccount, LedgerEntry, LedgerTransaction, Payment

Kind = LedgerAccount.Kind

# Accounts whose balance may never go below zero; RECEIVED may never go above it (money
# comes out of it as mentees pay). REVENUE has no bound: provider fees are the platform's
# cost, even on a payment later refunded.
NEVER_NEGATIVE = frozenset(
    {
        Kind.ESCROW,
        Kind.PAYABLE,
        Kind.IN_TRANSIT,
        Kind.PAID_OUT,
        Kind.REFUNDED,
        Kind.PROVIDER_FEES,
    }
)
NEVER_POSITIVE = frozenset({Kind.RECEIVED})


class LedgerError(Exception):
    """A movement the ledger refuses: unbalanced, empty, or taking an account past its bound."""


@dataclass(frozen=True)
class Leg:
    account: LedgerAccount
    amount: int


def platform_account(kind: str, currency: str) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(
        kind=kind, currency=currency, engagement=None, mentor=None
    )
    return account


def escrow_of(engagement: Engagement, currency: str) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(
        kind=Kind.ESCROW, currency=currency, engagement=engagement, mentor=None
    )
    return account


def mentor_account(mentor: MentorProfile, kind: str, currency: str) -> LedgerAccount:
    assert kind in LedgerAccount.PER_MENTOR
    account, _created = LedgerAccount.objects.get_or_create(
        kind=kind, currency=currency, mentor=mentor, engagement=None
    )
    return account


def _check(legs: Sequence[Leg]) -> None:
    if len(legs) < 2:
        raise LedgerError("a movement has at least two entries")
    totals: dict[str, int] = defaultdict(int)
    for leg in legs:
        if not isinstance(leg.amount, int) or isinstance(leg.amount, bool) or leg.amount == 0:
            raise LedgerError(f"an entry moves a whole, non-zero amount: {leg.amount!r}")
        totals[leg.account.currency] += leg.amount
    unbalanced = {currency: total for currency, total in totals.items() if total}
    if unbalanced:
        raise LedgerError(f"the entries do not balance: {unbalanced}")


def post(
    kind: str,
    legs: Sequence[Leg],
    *,
    key: str,
    memo: str = "",
    booking: Booking | None = None,
    payment: Payment | None = None,
) -> LedgerTransaction:
    """Records the movement `legs` as one transaction named `key`, or returns the transaction
    already recorded with that key (which must be the same movement). Raises LedgerError for
    entries that do not balance or an account taken past its bound; nothing is written then.
    Locks the accounts, in the order of their ids, until the caller's transaction ends: a
    caller posts last, after its other work, so that the platform's accounts of a currency
    (which every payment moves) are held for as short a time as possible. Reads no history:
    each account's balance is kept on its row."""
    _check(legs)
    with transaction.atomic():
        existing = LedgerTransaction.objects.filter(key=key).first()
        if existing is not None:
            return existing
        ids = sorted({leg.account.pk for leg in legs})
        accounts = {
            account.pk: account
            for account in LedgerAccount.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
        }
        # A movement with the same key made while this one waited for the locks.
        existing = LedgerTransaction.objects.filter(key=key).first()
        if existing is not None:
            return existing
        change: dict[int, int] = defaultdict(int)
        for leg in legs:
            change[leg.account.pk] += leg.amount
        for pk in ids:
            account = accounts[pk]
            after = account.balance + change[pk]
            if (account.kind in NEVER_NEGATIVE and after < 0) or (
                account.kind in NEVER_POSITIVE and after > 0
            ):
                raise LedgerError(f"{account} would hold {after}")
        try:
            with transaction.atomic():
                record = LedgerTransaction.objects.create(
                    kind=kind,
                    key=key,
                    memo=memo[:200],
                    booking=booking,
                    payment=payment,
                    created_at=timezone.now(),
                )
        except IntegrityError:
            # The same movement, recorded at this moment by someone else.
            return LedgerTransaction.objects.get(key=key)
        LedgerEntry.objects.bulk_create(
            LedgerEntry(transaction=record, account=leg.account, amount=leg.amount) for leg in legs
        )
        for pk in ids:
            if change[pk]:
                LedgerAccount.objects.filter(pk=pk).update(balance=F("balance") + change[pk])
        return record


def balance(account: LedgerAccount) -> int:
    """The account's balance now (kept on its row by post)."""
    return int(LedgerAccount.objects.values_list("balance", flat=True).get(pk=account.pk))


def balances(accounts: Iterable[LedgerAccount]) -> dict[int, int]:
    """The balance of each of `accounts`, by account id, in one query."""
    ids = [account.pk for account in accounts]
    totals = dict.fromkeys(ids, 0)
    rows = LedgerAccount.objects.filter(pk__in=ids).values_list("pk", "balance")
    totals.update({pk: int(held) for pk, held in rows})
    return totals


def summed_balances(accounts: Iterable[LedgerAccount]) -> dict[int, int]:
    """The sum of each account's entries, by account id: what `balance` must agree with."""
    ids = [account.pk for account in accounts]
    totals = dict.fromkeys(ids, 0)
    rows = (
        LedgerEntry.objects.filter(account_id__in=ids)
        .values_list("account_id")
        .annotate(total=Sum("amount"))
    )
    totals.update({account_id: int(total) for account_id, total in rows})
    return totals
