"""A session's money after it: released to the mentor less the platform's fee once the
dispute window has passed, or refunded when the mentor did not come; once per session."""

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking, Engagement
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable, terms
from mentor247.conftest import race
from mentor247.mentors import domain as mentors_domain
from mentor247.mentors.models import Offering
from mentor247.payments import domain, sandbox
from mentor247.payments.ledger import balance, escrow_of, mentor_account, platform_account
from mentor247.payments.models import LedgerAccount, LedgerEntry, Refund, SandboxCharge, Settlement
from mentor247.rooms.domain import room_for
from mentor247.rooms.models import Room

Kind = LedgerAccount.Kind
Status = Booking.Status


def paid_booking(offering: Offering, mentee: User, starts_at: datetime) -> Booking:
    """Books `offering` and pays for it with the sandbox's test card."""
    booking = bookings.book(offering, mentee, starts_at)
    payment, charge = domain.start_checkout(
        booking, mentee, idempotency_key=f"k{booking.pk}", return_url=lambda made: "http://x/"
    )
    sandbox.pay_with_card(SandboxCharge.objects.get(reference=charge.reference), sandbox.SUCCEEDS)
    domain.settle_payment(payment.pk)
    return Booking.objects.get(pk=booking.pk)


def after_the_window(booking: Booking, hours: int = 25) -> Any:
    return time_machine.travel(booking.ends_at + timedelta(hours=hours))


def mark(booking: Booking, status: str, *, no_show: str = "") -> None:
    """What the room's sweep decides at the session's end (rooms.domain.judge_attendance)."""
    bookings.close_booking(booking, status)
    if no_show:
        Room.objects.filter(pk=room_for(booking).pk).update(no_show=no_show)


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def accounts(booking: Booking) -> tuple[int, int, int]:
    """(escrow, mentor's payable, platform revenue) in the booking's currency."""
    currency = booking.engagement.currency
    return (
        balance(escrow_of(booking.engagement, currency)),
        balance(mentor_account(booking.mentor, Kind.PAYABLE, currency)),
        balance(platform_account(Kind.REVENUE, currency)),
    )


def test_a_held_session_is_released_after_the_dispute_window_less_the_fee(
    bookable: Bookable, mentee: User
) -> None:
    booking = paid_booking(bookable.package, mentee, at(5, 10))
    mark(booking, Status.COMPLETED)
    with after_the_window(booking, hours=23):
        assert domain.settle_due_sessions() == 0
    assert accounts(booking) == (24000, 0, 0)
    with after_the_window(booking):
        assert domain.settle_due_sessions() == 1
        assert domain.settle_due_sessions() == 0
    # One session of three: 8000, of which 15 % (1200) is the platform's.
    assert accounts(booking) == (16000, 6800, 1200)
    settlement = Settlement.objects.get(booking=booking)
    assert (settlement.outcome, settlement.amount, settlement.fee) == ("released", 8000, 1200)


@pytest.mark.parametrize(
    ("status", "no_show", "forfeit"),
    [(Status.NO_SHOW, "mentee", False), (Status.CANCELLED, "", True)],
)
def test_a_session_the_mentee_missed_or_cancelled_late_is_paid_to_the_mentor(
    bookable: Bookable, mentee: User, status: str, no_show: str, forfeit: bool
) -> None:
    booking = paid_booking(bookable.hour, mentee, at(2, 10))
    if forfeit:
        with time_machine.travel(booking.starts_at - timedelta(hours=2)):
            bookings.cancel_booking(booking, by=mentee, reason="Too late, sorry.")
        assert Booking.objects.get(pk=booking.pk).forfeited
    else:
        mark(booking, status, no_show=no_show)
    with after_the_window(booking):
        domain.settle_due_sessions()
    assert accounts(booking) == (0, 7650, 1350)


@pytest.mark.parametrize("no_show", ["mentor", "both"])
def test_a_session_the_mentor_missed_is_refunded_at_once(
    bookable: Bookable, mentee: User, no_show: str, django_capture_on_commit_callbacks: Any
) -> None:
    booking = paid_booking(bookable.hour, mentee, at(5, 10))
    mark(booking, Status.NO_SHOW, no_show=no_show)
    after_the_mark = time_machine.travel(booking.starts_at + timedelta(minutes=20))
    with after_the_mark, django_capture_on_commit_callbacks(execute=True):
        assert domain.settle_due_sessions() == 1
    assert accounts(booking) == (0, 0, 0)
    refund = Refund.objects.get()
    assert (refund.amount, refund.state) == (9000, Refund.State.SENT)
    assert "did not come" in refund.reason
    assert Settlement.objects.get(booking=booking).outcome == "refunded"


def test_a_package_releases_its_whole_price_and_no_more(db: None, mentee: User) -> None:
    bookable = make_bookable("odd.price@example.com")
    odd = mentors_domain.add_offering(
        bookable.profile, terms("Three odd hours", count=3, minutes=60, price=10000)
    )
    first = paid_booking(odd, mentee, at(5, 10))
    sessions = [first]
    for day in (6, 7):
        sessions.append(bookings.book_from_engagement(first.engagement, at(day, 10)))
    for session in sessions:
        mark(session, Status.COMPLETED)
    with after_the_window(sessions[-1]):
        assert domain.settle_due_sessions() == 3
    amounts = sorted(Settlement.objects.values_list("amount", flat=True))
    assert amounts == [3333, 3333, 3334]
    assert accounts(first)[0] == 0


def test_a_free_session_moves_no_money(bookable: Bookable, mentee: User) -> None:
    booking = bookings.book(bookable.half_hour, mentee, at(5, 10))
    mark(booking, Status.COMPLETED)
    with after_the_window(booking):
        assert domain.settle_due_sessions() == 0
    assert LedgerEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_settle_each_session_once(transactional_db: None, mentee: User) -> None:
    bookable = make_bookable("max.mentor@example.com")
    booking = paid_booking(bookable.package, mentee, at(5, 10))
    mark(booking, Status.COMPLETED)
    with after_the_window(booking):
        results = race(domain.settle_due_sessions, domain.settle_due_sessions)
    assert sorted(results) == [0, 1], results  # type: ignore[type-var]
    assert Settlement.objects.count() == 1
    assert accounts(booking) == (16000, 6800, 1200)


@pytest.mark.parametrize("by", ["mentee", "mentor"])
def test_a_session_cancelled_in_time_or_by_the_mentor_is_refunded_with_its_credit(
    bookable: Bookable, mentee: User, by: str, django_capture_on_commit_callbacks: Any
) -> None:
    booking = paid_booking(bookable.package, mentee, at(5, 10))
    who = mentee if by == "mentee" else bookable.mentor
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel_booking(booking, by=who, reason="Plans changed.")
    # One session of three back to the mentee at once, and that credit with it.
    assert accounts(booking) == (16000, 0, 0)
    refund = Refund.objects.get()
    assert (refund.amount, refund.reason, refund.state) == (
        8000,
        "The session was cancelled.",
        Refund.State.SENT,
    )
    engagement = Booking.objects.get(pk=booking.pk).engagement
    assert bookings.credits_left(engagement) == 2
    assert Settlement.objects.get(booking=booking).outcome == "refunded"


def test_what_an_expired_package_holds_for_sessions_never_booked_goes_back(
    bookable: Bookable, mentee: User, django_capture_on_commit_callbacks: Any
) -> None:
    booking = paid_booking(bookable.package, mentee, at(5, 10))
    mark(booking, Status.COMPLETED)
    engagement = booking.engagement
    assert engagement.expires_at is not None
    with time_machine.travel(engagement.expires_at - timedelta(days=1)):
        with django_capture_on_commit_callbacks(execute=True):
            domain.settle_due_sessions()
        assert accounts(booking) == (16000, 6800, 1200)  # one held, two not booked yet
        assert domain.end_engagements() == 0  # not expired yet
    expired = time_machine.travel(engagement.expires_at + timedelta(minutes=1))
    with expired, django_capture_on_commit_callbacks(execute=True):
        assert domain.end_engagements() == 1
        assert domain.end_engagements() == 0  # nothing more the second time
    assert accounts(booking) == (0, 6800, 1200)
    refund = Refund.objects.get()
    assert refund.amount == 16000
    assert "not booked" in refund.reason
    # The engagement has ended, the two sessions never booked counted as given back.
    engagement.refresh_from_db()
    assert (engagement.status, engagement.refunded_credits) == (Engagement.Status.ENDED, 2)
