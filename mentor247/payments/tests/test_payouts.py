"""Payouts: only to mentors in good standing with payout details, weekly above a minimum or
on request, exactly once per balance, and a failed transfer's money available again."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.conftest import race
from mentor247.mentors.models import MentorProfile
from mentor247.payments import domain
from mentor247.payments.ledger import balance, mentor_account
from mentor247.payments.models import (
    LedgerAccount,
    Payout,
    PayoutAccount,
    SandboxAccount,
    SandboxTransfer,
)
from mentor247.payments.providers.sandbox import FAILING_ACCOUNT, GOOD_ACCOUNT
from mentor247.payments.rules import next_payout_at
from mentor247.payments.tests.test_settlement import after_the_window, mark, paid_booking

Kind = LedgerAccount.Kind


def earned(bookable: Bookable, mentee: User) -> Booking:
    """A package session held and released: 6800 payable to the mentor (8000 less 15 %)."""
    booking = paid_booking(bookable.package, mentee, at(5, 10))
    mark(booking, Booking.Status.COMPLETED)
    with after_the_window(booking):
        assert domain.settle_due_sessions() == 1
    return booking


def with_account(mentor: MentorProfile, number: str = GOOD_ACCOUNT) -> None:
    """The mentor sets up payouts on the sandbox's page."""
    domain.open_payout_account(mentor)
    SandboxAccount.objects.filter(
        reference=PayoutAccount.objects.get(mentor=mentor).reference
    ).update(number=number)
    account = domain.refresh_payout_account(mentor)
    assert account is not None and account.ready


def money(mentor: MentorProfile, currency: str) -> tuple[int, int, int]:
    """(available, in transit, paid out)."""
    return (
        balance(mentor_account(mentor, Kind.PAYABLE, currency)),
        balance(mentor_account(mentor, Kind.IN_TRANSIT, currency)),
        balance(mentor_account(mentor, Kind.PAID_OUT, currency)),
    )


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def test_a_mentor_asks_for_a_payout_and_is_paid(
    bookable: Bookable, mentee: User, django_capture_on_commit_callbacks: Any
) -> None:
    booking = earned(bookable, mentee)
    currency = booking.engagement.currency
    with pytest.raises(ValidationError, match="payout details first"):
        domain.start_payout(bookable.profile, currency, requested=True)
    with_account(bookable.profile)
    with django_capture_on_commit_callbacks(execute=True):
        payout = domain.start_payout(bookable.profile, currency, requested=True)
    payout.refresh_from_db()
    assert (payout.amount, payout.state) == (6800, Payout.State.PAID)
    assert money(bookable.profile, currency) == (0, 0, 6800)
    assert SandboxTransfer.objects.get().amount == 6800
    with pytest.raises(ValidationError, match="no money available"):
        domain.start_payout(bookable.profile, currency, requested=True)


def test_a_failed_transfer_makes_the_money_available_again(
    bookable: Bookable, mentee: User, django_capture_on_commit_callbacks: Any
) -> None:
    currency = earned(bookable, mentee).engagement.currency
    with_account(bookable.profile, FAILING_ACCOUNT)
    with django_capture_on_commit_callbacks(execute=True):
        payout = domain.start_payout(bookable.profile, currency, requested=True)
    payout.refresh_from_db()
    assert payout.state == Payout.State.FAILED
    assert "refused" in payout.message
    assert money(bookable.profile, currency) == (6800, 0, 0)
    # Sent again (a retried task), the failed payout changes nothing.
    assert domain.send_payout(payout.pk).state == Payout.State.FAILED
    assert money(bookable.profile, currency) == (6800, 0, 0)


def test_the_weekly_run_pays_balances_above_the_minimum_only(
    bookable: Bookable, mentee: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    currency = earned(bookable, mentee).engagement.currency
    with_account(bookable.profile)
    # Minimums are per currency, in minor units: 100.00 is more than the 68.00 available.
    settings.PAYOUT_MINIMUMS = {currency: 10000, "JPY": 3000}
    assert domain.run_payouts() == 0
    assert domain.payout_minimum("JPY") == 3000  # ¥3,000, not 3,000.00 of anything
    settings.PAYOUT_MINIMUMS = {currency: 5000}
    with django_capture_on_commit_callbacks(execute=True):
        assert domain.run_payouts() == 1
    assert domain.run_payouts() == 0
    assert money(bookable.profile, currency) == (0, 0, 6800)


def test_a_suspended_mentors_balance_is_held_for_staff(bookable: Bookable, mentee: User) -> None:
    currency = earned(bookable, mentee).engagement.currency
    with_account(bookable.profile)
    MentorProfile.objects.filter(pk=bookable.profile.pk).update(
        status=MentorProfile.Status.SUSPENDED
    )
    with pytest.raises(ValidationError, match="held"):
        domain.start_payout(bookable.profile, currency, requested=True)
    assert domain.run_payouts() == 0
    assert money(bookable.profile, currency) == (6800, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_two_payout_runs_at_once_pay_each_balance_once(
    transactional_db: None, mentee: User
) -> None:
    bookable = make_bookable("max.mentor@example.com")
    currency = earned(bookable, mentee).engagement.currency
    with_account(bookable.profile)
    results = race(domain.run_payouts, domain.run_payouts, domain.run_payouts)
    assert sorted(results) == [0, 0, 1], results  # type: ignore[type-var]
    assert Payout.objects.count() == 1
    assert SandboxTransfer.objects.count() == 1
    assert money(bookable.profile, currency) == (0, 0, 6800)


def test_the_weekly_moment_is_the_next_payout_day_and_hour() -> None:
    wednesday = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert next_payout_at(wednesday, weekday=0, hour=6) == datetime(2026, 11, 30, 6, tzinfo=UTC)
    monday_early = datetime(2026, 11, 30, 5, 59, tzinfo=UTC)
    assert next_payout_at(monday_early, weekday=0, hour=6) == datetime(2026, 11, 30, 6, tzinfo=UTC)
    monday_on_time = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
    assert next_payout_at(monday_on_time, weekday=0, hour=6) == datetime(2026, 12, 7, 6, tzinfo=UTC)


def test_the_earnings_page_is_the_mentors_own(
    bookable: Bookable, mentee: User, client: Client
) -> None:
    earned(bookable, mentee)
    url = reverse("mentor:earnings")
    client.force_login(mentee)
    assert client.get(url).status_code in (302, 403, 404)
    client.force_login(bookable.mentor)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "€68.00" in text  # available
    assert "€136.00" in text  # still in escrow for two sessions, less the fee
    assert "Set up payouts" in text
