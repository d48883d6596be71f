"""Money at the edges: every amount a provider captured ends in the escrow of a confirmed
session or back with the mentee, told why; nothing answers 500 for a state the platform can
reach; work left unfinished (a lost webhook, a refund or transfer the provider refused) is
finished by the tick, with back-off, or waits for staff."""

from datetime import timedelta
from email.header import decode_header, make_header
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.api.tests.conftest import token_client
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking, Engagement
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable, terms
from mentor247.conftest import make_user, message_text, staff_client
from mentor247.mentors import domain as mentors_domain
from mentor247.mentors.models import MentorProfile
from mentor247.payments import domain, sandbox
from mentor247.payments.domain.retry import MAX_ATTEMPTS
from mentor247.payments.ledger import balance, escrow_of, platform_account
from mentor247.payments.models import (
    LedgerAccount,
    LedgerCheck,
    LedgerEntry,
    LedgerTransaction,
    Payment,
    Payout,
    PayoutAccount,
    Refund,
    SandboxAccount,
    SandboxCharge,
    Settlement,
)
from mentor247.payments.providers.base import ProviderError
from mentor247.payments.providers.sandbox import (
    FAILING_ACCOUNT,
    GOOD_ACCOUNT,
    SIGNATURE_HEADER,
    Sandbox,
    event_body,
    sign,
)
from mentor247.payments.tests.test_checkout import charge_of
from mentor247.payments.tests.test_payouts import earned, money, with_account
from mentor247.payments.tests.test_settlement import after_the_window, mark, paid_booking
from mentor247.payments.verify import verify_ledger
from mentor247.periodic import tick

Kind = LedgerAccount.Kind
State = Payment.State


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def start(booking: Booking) -> Payment:
    payment, _charge = domain.start_checkout(
        booking,
        booking.mentee,
        idempotency_key=f"key-{booking.pk}",
        return_url=lambda made: f"http://testserver/payments/{made.pk}/",
    )
    return payment


def webhook(client: Client, payment: Payment, event_id: str) -> int:
    body = event_body(event_id, payment.reference)
    return client.post(
        reverse("payments:webhook", args=["sandbox"]),
        data=body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign(body)},
    ).status_code


def money_of(engagement: Engagement, currency: str = "EUR") -> tuple[int, int]:
    """(in escrow, refunded to mentees in all)."""
    return (
        balance(escrow_of(engagement, currency)),
        balance(platform_account(Kind.REFUNDED, currency)),
    )


# A hold cancelled while it is being paid for -----------------------------------------------


def test_a_hold_cancelled_in_one_tab_stops_the_card_page_open_in_another(
    bookable: Bookable, mentee: User, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    held = bookings.book(bookable.package, mentee, at(5, 10))
    payment = start(held)
    api = token_client(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(
            f"/api/me/bookings/{held.pk}/cancel",
            {"reason": "I booked the wrong week."},
            content_type="application/json",
        )
    assert answer.status_code == 200
    # The other tab pays: the card page is closed, and nothing is taken.
    client.force_login(mentee)
    card_page = reverse("payments:sandbox_pay", args=[payment.reference])
    paid = client.post(card_page, {"number": sandbox.SUCCEEDS, "expiry": "12/40", "code": "123"})
    assert paid.status_code == 302 and paid["Location"].endswith(f"/payments/{payment.pk}/")
    assert charge_of(payment).state == SandboxCharge.State.CANCELLED
    payment.refresh_from_db()
    assert payment.state == State.CANCELLED
    page = client.get(reverse("payments:payment", args=[payment.pk]))
    assert page.status_code == 200
    assert "its booking is no longer held" in page.content.decode()
    assert LedgerEntry.objects.count() == 0


def test_money_captured_after_the_hold_was_cancelled_goes_back_in_full_and_the_mentee_is_told(
    bookable: Bookable,
    mentee: User,
    client: Client,
    smtp_outbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    held = bookings.book(bookable.package, mentee, at(5, 10))
    payment = start(held)
    # The card is charged in the other tab, and the hold is cancelled before the provider's
    # event arrives (the platform's give-up task never ran: its worker was down).
    sandbox.pay_with_card(charge_of(payment), sandbox.SUCCEEDS)
    bookings.cancel_booking(held, by=mentee, reason="Plans changed.")
    assert Booking.objects.get(pk=held.pk).status == Booking.Status.CANCELLED
    # The provider's event, delivered three times, answers 200 each time.
    with django_capture_on_commit_callbacks(execute=True):
        assert [webhook(client, payment, "evt_late") for _ in range(3)] == [200, 200, 200]
    payment.refresh_from_db()
    assert payment.state == State.SUCCEEDED
    assert money_of(held.engagement) == (0, 24000)
    refund = Refund.objects.get()
    assert (refund.amount, refund.state, refund.booking_id) == (24000, Refund.State.SENT, held.pk)
    assert "cancelled before the payment arrived" in refund.reason
    assert Booking.objects.get(pk=held.pk).status == Booking.Status.CANCELLED
    # The payment page says so, every time it is visited.
    client.force_login(mentee)
    for _ in range(2):
        page = client.get(reverse("payments:payment", args=[payment.pk]))
        assert page.status_code == 200
        assert "the session could not be booked" in page.content.decode()
    [email] = smtp_outbox.messages
    assert email["To"] == mentee.email
    assert "€240.00" in str(make_header(decode_header(email["Subject"])))
    assert "cancelled before the payment arrived" in message_text(email)
    verify_ledger()


def test_a_capture_that_wins_the_race_with_the_give_up_is_refunded(
    bookable: Bookable, mentee: User, django_capture_on_commit_callbacks: Any
) -> None:
    held = bookings.book(bookable.package, mentee, at(5, 10))
    payment = start(held)
    sandbox.pay_with_card(charge_of(payment), sandbox.SUCCEEDS)
    # Cancelled with the give-up running: the provider answers that it captured already.
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel_booking(held, by=mentee, reason="Plans changed.")
    payment.refresh_from_db()
    assert payment.state == State.SUCCEEDED
    assert money_of(held.engagement) == (0, 24000)
    assert Refund.objects.get().state == Refund.State.SENT
    verify_ledger()


def test_a_late_payment_whose_mentor_was_suspended_meanwhile_is_refunded(
    bookable: Bookable, mentee: User, staff: User, client: Client
) -> None:
    held = bookings.book(bookable.package, mentee, at(5, 10))
    payment = start(held)
    mentors_domain.decide(bookable.profile, "suspend", note="Under review.", by=staff)
    sandbox.pay_with_card(charge_of(payment), sandbox.SUCCEEDS)
    assert webhook(client, payment, "evt_1") == 200
    assert money_of(held.engagement) == (0, 24000)
    assert Booking.objects.get(pk=held.pk).status != Booking.Status.CONFIRMED


def test_a_busy_database_leaves_the_payment_to_be_settled_again_not_refunded(
    bookable: Bookable, mentee: User, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = bookings.book(bookable.package, mentee, at(5, 10))
    payment = start(held)
    sandbox.pay_with_card(charge_of(payment), sandbox.SUCCEEDS)

    def busy(booking_id: int) -> Booking:
        raise bookings.Busy()

    with monkeypatch.context() as patched:
        patched.setattr(bookings, "confirm_booking", busy)
        assert webhook(client, payment, "evt_busy") == 503  # delivered again later
        client.force_login(mentee)
        assert client.get(reverse("payments:payment", args=[payment.pk])).status_code == 200
    payment.refresh_from_db()
    assert (payment.state, Refund.objects.count(), LedgerEntry.objects.count()) == (
        State.PENDING,
        0,
        0,
    )
    assert webhook(client, payment, "evt_busy") == 200
    assert Booking.objects.get(pk=held.pk).status == Booking.Status.CONFIRMED
    assert money_of(held.engagement) == (24000, 0)


# The tick finishes what was left -----------------------------------------------------------


def test_a_lost_webhook_is_settled_by_the_tick_without_anyone_visiting_a_page(
    bookable: Bookable, mentee: User
) -> None:
    held = bookings.book(bookable.package, mentee, at(5, 10))
    payment = start(held)
    sandbox.pay_with_card(charge_of(payment), sandbox.SUCCEEDS)  # its event is lost
    assert tick()["reconciliation"] == 0  # not due yet
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert tick()["reconciliation"] == 1
    assert Payment.objects.get(pk=payment.pk).state == State.SUCCEEDED
    assert Booking.objects.get(pk=held.pk).status == Booking.Status.CONFIRMED
    assert money_of(held.engagement) == (24000, 0)


def test_a_payment_left_open_when_its_hold_ran_out_is_stopped_by_the_tick(
    bookable: Bookable, mentee: User
) -> None:
    held = bookings.book(bookable.package, mentee, at(5, 10))
    payment = start(held)  # the mentee leaves the card page open and goes away
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        tick()
    assert Booking.objects.get(pk=held.pk).status == Booking.Status.EXPIRED
    assert Payment.objects.get(pk=payment.pk).state == State.CANCELLED
    assert charge_of(payment).state == SandboxCharge.State.CANCELLED


def test_a_refund_the_provider_refuses_is_retried_with_back_off_then_waits_for_staff(
    bookable: Bookable,
    mentee: User,
    staff: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    booking = paid_booking(bookable.package, mentee, at(5, 10))
    payment = Payment.objects.get(booking=booking)
    asked: list[str] = []

    def refused(self: Sandbox, payment: Payment, amount: int, *, key: str) -> str:
        asked.append(key)
        raise ProviderError("the provider is down")

    monkeypatch.setattr(Sandbox, "refund", refused)
    with django_capture_on_commit_callbacks(execute=True):
        refund = domain.refund_payment(payment, 8000, reason="One session back.")
    refund.refresh_from_db()
    assert (refund.state, refund.attempts) == (Refund.State.PENDING, 1)
    assert refund.next_attempt_at is not None
    waits = []
    moment = timezone.now()
    while refund.state == Refund.State.PENDING:
        assert refund.next_attempt_at is not None
        waits.append(refund.next_attempt_at - moment)
        moment = refund.next_attempt_at
        with time_machine.travel(moment - timedelta(seconds=1)):
            assert domain.reconcile()["refunds"] == 0  # not due yet
        with time_machine.travel(moment + timedelta(seconds=1)):
            assert domain.reconcile()["refunds"] == 1
        refund.refresh_from_db()
    assert (refund.state, refund.attempts, len(asked)) == (
        Refund.State.FAILED,
        MAX_ATTEMPTS,
        MAX_ATTEMPTS,
    )
    assert len(set(asked)) == 1  # one key: given once however often asked
    # Each wait doubles the one before, up to the longest.
    assert [round(wait.total_seconds() / 60) for wait in waits] == [5, 10, 20, 40, 80, 160, 320]
    # Staff see it and set it going again, once the provider is back.
    client = staff_client(staff)
    assert "One session back." in client.get(reverse("payments_staff:attention")).content.decode()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("payments_staff:retry", args=["refund", refund.pk]))
    assert answer.status_code == 302
    refund.refresh_from_db()
    assert refund.state == Refund.State.SENT
    verify_ledger()


def test_a_transfer_the_provider_does_not_answer_is_retried_then_waits_for_staff(
    bookable: Bookable,
    mentee: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    earned(bookable, mentee)
    with_account(bookable.profile)

    def unanswered(self: Sandbox, payout: Payout, account: str, **kwargs: Any) -> Any:
        raise ProviderError("timed out")

    monkeypatch.setattr(Sandbox, "transfer", unanswered)
    with django_capture_on_commit_callbacks(execute=True):
        payout = domain.start_payout(bookable.profile, "EUR", requested=True)
    for _ in range(MAX_ATTEMPTS):
        payout.refresh_from_db()
        assert payout.state == Payout.State.IN_TRANSIT and payout.next_attempt_at is not None
        with time_machine.travel(payout.next_attempt_at + timedelta(seconds=1)):
            domain.reconcile()
    payout.refresh_from_db()
    # Whether the money left is not known: it stays in transit, for staff.
    assert (payout.state, payout.stuck) == (Payout.State.IN_TRANSIT, True)
    assert money(bookable.profile, "EUR") == (0, 6800, 0)
    monkeypatch.undo()
    assert payout.next_attempt_at is not None
    far = payout.next_attempt_at + timedelta(days=1)
    with time_machine.travel(far):
        assert domain.reconcile()["payouts"] == 0  # not asked again without staff


def test_a_bank_account_that_refuses_transfers_is_paused_longer_each_time_until_changed(
    bookable: Bookable, mentee: User, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    earned(bookable, mentee)
    with_account(bookable.profile, FAILING_ACCOUNT)
    with django_capture_on_commit_callbacks(execute=True):
        payout = domain.start_payout(bookable.profile, "EUR", requested=True)
    payout.refresh_from_db()
    assert payout.state == Payout.State.FAILED
    account = PayoutAccount.objects.get(mentor=bookable.profile)
    assert account.failures == 1 and account.paused_until is not None
    assert account.paused_until - timezone.now() > timedelta(hours=23)
    assert domain.run_payouts() == 0  # the weekly run skips it
    with pytest.raises(ValidationError, match="refused the last transfers"):
        domain.start_payout(bookable.profile, "EUR", requested=True)
    later = time_machine.travel(account.paused_until + timedelta(minutes=1))
    with later, django_capture_on_commit_callbacks(execute=True):
        assert domain.run_payouts() == 1
    account.refresh_from_db()
    assert account.failures == 2
    assert account.paused_until - timezone.now() > timedelta(days=2, hours=23)
    # The mentor changes their details on the sandbox's page: paid again at once.
    client.force_login(bookable.profile.user)
    sandbox_page = reverse("payments:sandbox_account", args=[account.reference])
    assert client.post(sandbox_page, {"number": GOOD_ACCOUNT}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        domain.start_payout(bookable.profile, "EUR", requested=True)
    assert money(bookable.profile, "EUR") == (0, 0, 6800)


# Sandbox pages and held balances -----------------------------------------------------------


def test_the_sandbox_pages_are_for_their_own_people_alone(
    bookable: Bookable, mentee: User, client: Client
) -> None:
    earned(bookable, mentee)
    with_account(bookable.profile)
    account = SandboxAccount.objects.get()
    page = reverse("payments:sandbox_account", args=[account.reference])
    anonymous = client.post(page, {"number": FAILING_ACCOUNT})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    other_mentor = make_user("other.mentor@example.com", mentor=True)
    for someone in (mentee, other_mentor):
        client.force_login(someone)
        assert client.post(page, {"number": FAILING_ACCOUNT}).status_code == 404
    assert SandboxAccount.objects.get().number == GOOD_ACCOUNT
    held = bookings.book(bookable.hour, mentee, at(6, 10))
    charge = charge_of(start(held))
    client.logout()
    card_page = reverse("payments:sandbox_pay", args=[charge.reference])
    assert client.get(card_page).status_code == 302
    client.force_login(other_mentor)
    assert client.post(card_page, {"number": sandbox.SUCCEEDS}).status_code == 404
    assert charge_of(Payment.objects.get(booking=held)).state == SandboxCharge.State.OPEN


def test_a_suspended_mentor_sees_the_balance_held_and_the_statement(
    bookable: Bookable, mentee: User, staff: User, client: Client
) -> None:
    earned(bookable, mentee)
    mentors_domain.decide(bookable.profile, "suspend", note="Under review.", by=staff)
    assert MentorProfile.objects.get(pk=bookable.profile.pk).status == "suspended"
    client.force_login(bookable.profile.user)
    page = client.get(reverse("mentor:earnings"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-money="available">€68.00<' in text and 'id="balance-held"' in text
    assert "request-payout-EUR" not in text
    statement = client.get(reverse("mentor:statement"))
    assert statement["Content-Type"] == "application/pdf"
    client.force_login(mentee)
    assert client.get(reverse("mentor:earnings")).status_code == 404


# Sessions that have started ------------------------------------------------------------------


@pytest.mark.parametrize("side", ["mentor", "mentee"])
def test_a_session_that_has_started_can_no_longer_be_moved_or_cancelled(
    bookable: Bookable, mentee: User, side: str
) -> None:
    booking = paid_booking(bookable.package, mentee, at(5, 10))
    by = bookable.profile.user if side == "mentor" else mentee
    moving = time_machine.travel(booking.starts_at + timedelta(minutes=14))
    with moving, pytest.raises(ValidationError, match="has started"):
        bookings.reschedule_booking(booking, at(6, 10), by=by, reason="Running late.")
    cancelling = time_machine.travel(booking.starts_at + timedelta(minutes=20))
    with cancelling, pytest.raises(ValidationError, match="has started"):
        bookings.cancel_booking(booking, by=by, reason="Something came up.")
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


# Fees, engagements and the ledger check ------------------------------------------------------


def test_a_packages_fees_add_up_to_the_fee_advertised_at_checkout(
    bookable: Bookable, mentee: User
) -> None:
    six = mentors_domain.add_offering(
        bookable.profile, terms("Six sessions", count=6, minutes=60, price=22500)
    )
    first = paid_booking(six, mentee, at(2, 10))
    engagement = first.engagement
    sessions = [first] + [
        bookings.book_from_engagement(engagement, at(2 + day, 10)) for day in range(1, 6)
    ]
    for session in sessions:
        mark(session, Booking.Status.COMPLETED)
    with after_the_window(sessions[-1]):
        assert domain.settle_due_sessions() == 6
    fees = [settlement.fee for settlement in Settlement.objects.order_by("pk")]
    assert sum(fees) == 3375  # 15 % of 225.00, as checkout said: not 6 x 5.63
    assert max(fees) - min(fees) <= 1
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ENDED  # every credit used and settled
    verify_ledger()


def test_verify_ledger_passes_a_sound_ledger_and_fails_at_the_first_violation(
    bookable: Bookable, mentee: User, capsys: Any
) -> None:
    earned(bookable, mentee)
    call_command("verify_ledger")
    assert "The ledger holds" in capsys.readouterr().out
    assert tick()["ledger"] == 1
    assert tick()["ledger"] == 0  # once a day
    assert LedgerCheck.objects.get().ok
    # An account's kept balance no longer matching its entries is found.
    LedgerAccount.objects.filter(kind=Kind.REVENUE).update(balance=-1)
    with pytest.raises(CommandError, match=r"revenue EUR \(platform\) keeps -1, its entries"):
        call_command("verify_ledger")


def test_a_refund_of_a_packages_later_session_is_filed_under_that_session(
    bookable: Bookable, mentee: User, django_capture_on_commit_callbacks: Any
) -> None:
    first = paid_booking(bookable.package, mentee, at(5, 10))
    second = bookings.book_from_engagement(first.engagement, at(9, 10))
    with django_capture_on_commit_callbacks(execute=True):
        bookings.cancel_booking(second, by=mentee, reason="Another appointment.")
    [refund] = Refund.objects.all()
    assert (refund.booking_id, refund.amount) == (second.pk, 8000)
    assert LedgerTransaction.objects.get(kind="refund").booking_id == second.pk
    verify_ledger()


@pytest.mark.django_db(transaction=True)
def test_booking_and_paying_queue_no_sweep_the_tick_does_that(
    settings: Any, bookable: Bookable, mentee: User
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    free = bookings.book(bookable.half_hour, mentee, at(3, 10))
    held = bookings.book(bookable.package, mentee, at(4, 10))
    payment = start(held)
    sandbox.pay_with_card(charge_of(payment), sandbox.SUCCEEDS)
    domain.settle_payment(payment.pk)
    bookings.reschedule_booking(free, at(3, 12), by=mentee, reason="A clash.")
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    # Emails and the sandbox's own webhook delivery; no sweep of holds, attendance or money.
    assert queued <= {
        "mentor247.lib.mail.deliver_email",
        "mentor247.payments.tasks.deliver_sandbox_event",
    }


def test_an_attempt_the_provider_never_made_is_closed_once_its_hold_is_gone(
    bookable: Bookable, mentee: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = bookings.book(bookable.package, mentee, at(5, 10))

    def unanswered(self: Sandbox, payment: Payment, **kwargs: Any) -> Any:
        raise ProviderError("timed out")

    with monkeypatch.context() as patched:
        patched.setattr(Sandbox, "start_payment", unanswered)
        with pytest.raises(ProviderError):
            start(held)
    payment = Payment.objects.get()
    assert (payment.state, payment.reference) == (State.PENDING, "")
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        tick()
    payment.refresh_from_db()
    assert payment.state == State.CANCELLED
    assert Booking.objects.get(pk=held.pk).status == Booking.Status.EXPIRED
