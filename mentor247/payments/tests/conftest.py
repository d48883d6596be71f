"""Ledger accounts for the payments tests: a mentor with an engagement bought from them."""

from dataclasses import dataclass

import pytest

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Engagement
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.mentors.models import MentorProfile
from mentor247.payments.ledger import escrow_of, mentor_account, platform_account
from mentor247.payments.models import LedgerAccount

Kind = LedgerAccount.Kind


@dataclass
class Books:
    """The accounts of one engagement's money, in its currency."""

    engagement: Engagement
    mentor: MentorProfile
    currency: str
    received: LedgerAccount
    escrow: LedgerAccount
    payable: LedgerAccount
    revenue: LedgerAccount
    refunded: LedgerAccount


def books_of(engagement: Engagement) -> Books:
    currency = engagement.offering.currency
    return Books(
        engagement=engagement,
        mentor=engagement.mentor,
        currency=currency,
        received=platform_account(Kind.RECEIVED, currency),
        escrow=escrow_of(engagement, currency),
        payable=mentor_account(engagement.mentor, Kind.PAYABLE, currency),
        revenue=platform_account(Kind.REVENUE, currency),
        refunded=platform_account(Kind.REFUNDED, currency),
    )


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.fixture
def books(bookable: Bookable, mentee: User) -> Books:
    booking = bookings.book(bookable.package, mentee, at(5, 10))
    return books_of(booking.engagement)
