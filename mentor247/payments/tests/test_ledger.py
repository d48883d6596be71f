"""The ledger: balanced movements only, bounds kept, each movement once, nothing rewritten."""

import pytest
from django.db import DatabaseError, connection, transaction

from mentor247.payments.ledger import LedgerError, Leg, balance, balances, platform_account, post
from mentor247.payments.models import LedgerAccount, LedgerEntry, LedgerTransaction
from mentor247.payments.tests.conftest import Books

Kind = LedgerAccount.Kind
TX = LedgerTransaction.Kind


def pay_in(books: Books, amount: int, key: str = "payment:1") -> LedgerTransaction:
    return post(TX.PAYMENT, [Leg(books.received, -amount), Leg(books.escrow, amount)], key=key)


def test_a_payment_moves_money_from_received_into_escrow(books: Books) -> None:
    record = pay_in(books, 24000)
    assert balance(books.escrow) == 24000
    assert balance(books.received) == -24000
    assert sorted(record.entries.values_list("amount", flat=True)) == [-24000, 24000]


def test_a_release_splits_escrow_between_mentor_and_platform(books: Books) -> None:
    pay_in(books, 24000)
    post(
        TX.RELEASE,
        [Leg(books.escrow, -8000), Leg(books.payable, 6800), Leg(books.revenue, 1200)],
        key="release:1",
    )
    assert balances([books.escrow, books.payable, books.revenue]) == {
        books.escrow.pk: 16000,
        books.payable.pk: 6800,
        books.revenue.pk: 1200,
    }


@pytest.mark.parametrize(
    "amounts",
    [
        [-100, 99],  # does not balance
        [100],  # one entry
        [],
        [-100, 100, 0],  # an entry of nothing
        [-1.5, 1.5],  # not minor units
        [True, -1],
    ],
)
def test_a_movement_that_does_not_balance_is_refused_and_writes_nothing(
    books: Books, amounts: list
) -> None:
    accounts = [books.received, books.escrow, books.revenue]
    legs = [Leg(account, amount) for account, amount in zip(accounts, amounts, strict=False)]
    with pytest.raises(LedgerError):
        post(TX.PAYMENT, legs, key="payment:1")
    assert LedgerTransaction.objects.count() == 0
    assert LedgerEntry.objects.count() == 0


def test_each_currency_balances_on_its_own(books: Books) -> None:
    other = platform_account(Kind.REVENUE, "JPY" if books.currency != "JPY" else "USD")
    legs = [Leg(books.received, -100), Leg(books.escrow, 50), Leg(other, 50)]
    with pytest.raises(LedgerError, match="do not balance"):
        post(TX.PAYMENT, legs, key="payment:1")


def test_an_escrow_never_gives_more_than_it_holds(books: Books) -> None:
    pay_in(books, 8000)
    with pytest.raises(LedgerError, match="would hold -1"):
        post(TX.REFUND, [Leg(books.escrow, -8001), Leg(books.refunded, 8001)], key="refund:1")
    assert balance(books.escrow) == 8000
    assert LedgerTransaction.objects.count() == 1


def test_money_only_ever_comes_out_of_received(books: Books) -> None:
    with pytest.raises(LedgerError):
        post(TX.PAYMENT, [Leg(books.received, 100), Leg(books.revenue, -100)], key="x")


def test_the_same_key_records_the_movement_once(books: Books) -> None:
    first = pay_in(books, 9000)
    again = pay_in(books, 9000)
    assert again == first
    assert balance(books.escrow) == 9000
    assert LedgerEntry.objects.count() == 2


def test_entries_are_never_changed_or_removed(books: Books) -> None:
    pay_in(books, 9000)
    entry = LedgerEntry.objects.first()
    assert entry is not None
    entry.amount = 1
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()
    # The database refuses too, whatever writes to it.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE payments_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM payments_ledgerentry WHERE id = %s", [entry.pk])
    assert balance(books.escrow) == 9000


def test_balances_of_many_accounts_take_one_query(
    books: Books, django_assert_num_queries: object
) -> None:
    pay_in(books, 9000)
    accounts = [books.received, books.escrow, books.payable, books.revenue]
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert balances(accounts) == {
            books.received.pk: -9000,
            books.escrow.pk: 9000,
            books.payable.pk: 0,
            books.revenue.pk: 0,
        }
