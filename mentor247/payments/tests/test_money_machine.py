"""Property-based: a state machine of bookings, payments, no-shows, cancellations, refunds,
releases and payouts, and of what the provider does on its side (captures after a cancel,
late and repeated webhooks, refused refunds and transfers), with the tick running at any
moment; checking after every step that no money is lost, doubled or stuck: verify_ledger
passes, every transaction balances, no account passes its bound, what came in equals what
went out plus what is held, no session is settled twice, no mentor is paid more than
released, and every amount the provider captured is in the ledger or still being settled.
A final step lets the tick run until nothing is due: then every captured amount is in
escrow, released or refunded, and every refund the platform decided was made."""

import contextlib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import at, make_bookable
from mentor247.conftest import make_user
from mentor247.payments import domain, sandbox
from mentor247.payments.ledger import NEVER_NEGATIVE, NEVER_POSITIVE, balances
from mentor247.payments.models import (
    LedgerAccount,
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
from mentor247.payments.providers.base import Event, ProviderError
from mentor247.payments.providers.sandbox import FAILING_ACCOUNT, GOOD_ACCOUNT, Sandbox
from mentor247.payments.verify import verify_ledger
from mentor247.periodic import tick
from mentor247.rooms.domain import room_for
from mentor247.rooms.models import Room

Kind = LedgerAccount.Kind
Status = Booking.Status
LATER = timedelta(days=60)  # past every session's dispute window


class Money(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # Each run starts from the database as the test found it, and leaves it so.
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.bookable = make_bookable("machine.mentor@example.com")
        self.mentees = [make_user(f"machine{n}@example.com") for n in range(2)]
        self.staff = make_user("machine.staff@example.com", staff=True)
        self.slot = 0
        self.account_made = False
        self.events = 0
        self.provider_down = False
        self.real_refund, self.real_transfer = Sandbox.refund, Sandbox.transfer

    def teardown(self) -> None:
        Sandbox.refund, Sandbox.transfer = self.real_refund, self.real_transfer  # type: ignore[method-assign]
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    def _time(self) -> Any:
        self.slot += 1
        return at(3 + self.slot // 10, 8 + self.slot % 10)

    def _bookings(self, *statuses: str) -> list[Booking]:
        return list(Booking.objects.filter(status__in=statuses).order_by("pk"))

    # Rules -------------------------------------------------------------------------------

    @rule(
        package=st.booleans(),
        who=st.integers(0, 1),
        card=st.sampled_from(
            [sandbox.SUCCEEDS, sandbox.SUCCEEDS, sandbox.DECLINED, sandbox.INSUFFICIENT_FUNDS]
        ),
    )
    def buy(self, package: bool, who: int, card: str) -> None:
        offering = self.bookable.package if package else self.bookable.hour
        mentee = self.mentees[who]
        try:
            booking = bookings.book(offering, mentee, self._time())
        except bookings.Conflict:
            return
        payment, charge = domain.start_checkout(
            booking, mentee, idempotency_key=f"buy-{booking.pk}", return_url=lambda p: "http://x/"
        )
        sandbox.pay_with_card(SandboxCharge.objects.get(reference=charge.reference), card)
        domain.settle_payment(payment.pk)
        domain.settle_payment(payment.pk)  # a second fetch changes nothing

    @precondition(lambda self: Booking.objects.filter(status=Status.CONFIRMED).exists())
    @rule(
        index=st.integers(0, 50),
        outcome=st.sampled_from(
            ["completed", "mentee", "mentor", "both", "cancel_mentee", "cancel_mentor"]
        ),
        late=st.booleans(),
    )
    def end_a_session(self, index: int, outcome: str, late: bool) -> None:
        confirmed = self._bookings(Status.CONFIRMED)
        booking = confirmed[index % len(confirmed)]
        if outcome == "completed":
            bookings.close_booking(booking, Status.COMPLETED)
        elif outcome in ("mentee", "mentor", "both"):
            bookings.close_booking(booking, Status.NO_SHOW)
            Room.objects.filter(pk=room_for(booking).pk).update(no_show=outcome)
        else:
            by = booking.mentee if outcome == "cancel_mentee" else self.bookable.mentor
            moment = booking.starts_at - timedelta(hours=2 if late else 48)
            with time_machine.travel(moment):
                bookings.cancel_booking(booking, by=by, reason="Something came up.")

    @precondition(lambda self: Booking.objects.filter(engagement__credits__gt=1).exists())
    @rule(index=st.integers(0, 50))
    def book_another_session_of_a_package(self, index: int) -> None:
        packages = list(
            Booking.objects.filter(engagement__credits__gt=1, engagement__status="active")
            .values_list("engagement", flat=True)
            .distinct()
        )
        if not packages:
            return
        engagement = Booking.objects.filter(engagement=packages[index % len(packages)]).first()
        assert engagement is not None
        with contextlib.suppress(ValidationError, bookings.Conflict):
            bookings.book_from_engagement(engagement.engagement, self._time())

    @rule(who=st.integers(0, 1))
    def start_paying(self, who: int) -> None:
        """A mentee reaches the provider's card page and leaves it open."""
        mentee = self.mentees[who]
        try:
            booking = bookings.book(self.bookable.hour, mentee, self._time())
        except bookings.Conflict:
            return
        domain.start_checkout(
            booking, mentee, idempotency_key=f"open-{booking.pk}", return_url=lambda p: "http://x/"
        )

    @precondition(lambda self: SandboxCharge.objects.filter(state="open").exists())
    @rule(index=st.integers(0, 50), card=st.sampled_from([sandbox.SUCCEEDS, sandbox.DECLINED]))
    def provider_charges_the_card(self, index: int, card: str) -> None:
        """The card is charged at the provider (its event reaches no one yet)."""
        open_ = list(SandboxCharge.objects.filter(state="open").order_by("pk"))
        sandbox.pay_with_card(open_[index % len(open_)], card)

    @precondition(lambda self: Booking.objects.filter(status__in=Booking.HOLDING).exists())
    @rule(index=st.integers(0, 50), give_up_runs=st.booleans())
    def cancel_a_hold_mid_payment(self, index: int, give_up_runs: bool) -> None:
        """Another tab cancels a hold being paid for; the task that stops the payment at the
        provider may run at once, or be lost (the provider may have captured already)."""
        held = self._bookings(*Booking.HOLDING)
        booking = held[index % len(held)]
        # Tasks queued on commit never run inside the test's transaction: the give-up runs
        # only when the rule says so.
        bookings.cancel_booking(booking, by=booking.mentee, reason="Changed my mind.")
        if give_up_runs:
            for payment in Payment.objects.filter(booking=booking, state__in=Payment.LIVE):
                with contextlib.suppress(ProviderError):
                    domain.give_up_payment(payment.pk)

    @precondition(lambda self: Payment.objects.exclude(reference="").exists())
    @rule(index=st.integers(0, 50), repeat=st.booleans())
    def a_webhook_arrives(self, index: int, repeat: bool) -> None:
        """The provider's event about a payment, late or again."""
        payments = list(Payment.objects.exclude(reference="").order_by("pk"))
        payment = payments[index % len(payments)]
        if not repeat:
            self.events += 1
        event = Event(id=f"evt_{self.events}", reference=payment.reference)
        with contextlib.suppress(ProviderError):
            domain.handle_event("sandbox", event)

    @precondition(lambda self: Booking.objects.filter(status=Status.COMPLETED).exists())
    @rule(index=st.integers(0, 50), refund=st.booleans(), decided=st.booleans())
    def the_mentee_disputes_a_session(self, index: int, refund: bool, decided: bool) -> None:
        """A dispute within the window, decided by staff either way, or left open."""
        completed = self._bookings(Status.COMPLETED)
        booking = completed[index % len(completed)]
        try:
            dispute = domain.open_dispute(booking, booking.mentee, reason="It did not happen.")
        except ValidationError:
            return  # settled already, or disputed before
        if decided:
            domain.decide_dispute(dispute, refund=refund, by=self.staff, reason="Looked at it.")

    @rule(down=st.booleans())
    def the_provider_goes_down_or_comes_back(self, down: bool) -> None:
        def refused(*args: Any, **kwargs: Any) -> Any:
            raise ProviderError("the provider is down")

        self.provider_down = down
        Sandbox.refund = refused if down else self.real_refund  # type: ignore[method-assign]
        Sandbox.transfer = refused if down else self.real_transfer  # type: ignore[method-assign]

    @rule(minutes=st.integers(0, 3 * 24 * 60))
    def the_tick_runs(self, minutes: int) -> None:
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
            tick()

    @rule()
    def settle(self) -> None:
        with time_machine.travel(timezone.now() + LATER):
            domain.settle_due_sessions()
            domain.settle_due_sessions()

    @precondition(lambda self: Payment.objects.filter(state="succeeded").exists())
    @rule(index=st.integers(0, 50), amount=st.integers(1, 30000))
    def refund_by_staff(self, index: int, amount: int) -> None:
        paid = list(Payment.objects.filter(state="succeeded").order_by("pk"))
        payment = paid[index % len(paid)]
        with contextlib.suppress(ValidationError):
            domain.refund_payment(payment, amount, reason="Staff decided it.")

    @rule()
    def send_refunds(self) -> None:
        for refund in Refund.objects.filter(state=Refund.State.PENDING):
            domain.send_refund(refund.pk)

    @rule(failing=st.booleans(), requested=st.booleans())
    def pay_out(self, failing: bool, requested: bool) -> None:
        mentor = self.bookable.profile
        if not self.account_made:
            domain.open_payout_account(mentor)
            self.account_made = True
        SandboxAccount.objects.filter(
            reference=PayoutAccount.objects.get(mentor=mentor).reference
        ).update(number=FAILING_ACCOUNT if failing else GOOD_ACCOUNT)
        domain.refresh_payout_account(mentor)
        if requested:
            try:
                payout = domain.start_payout(mentor, self.bookable.hour.currency, requested=True)
            except ValidationError:
                return
            domain.send_payout(payout.pk)
        else:
            domain.run_payouts()

    # Invariants ----------------------------------------------------------------------------

    @invariant()
    def the_ledger_verifies(self) -> None:
        verify_ledger()

    @invariant()
    def every_captured_amount_is_in_the_ledger_or_being_settled(self) -> None:
        for charge in SandboxCharge.objects.filter(state="succeeded"):
            payment = Payment.objects.get(provider="sandbox", reference=charge.reference)
            assert payment.state in (Payment.State.SUCCEEDED, *Payment.LIVE), payment

    @invariant()
    def every_transaction_balances(self) -> None:
        unbalanced = (
            LedgerEntry.objects.values("transaction", "account__currency")
            .annotate(total=Sum("amount"))
            .exclude(total=0)
        )
        assert list(unbalanced) == []

    @invariant()
    def no_account_passes_its_bound(self) -> None:
        accounts = list(LedgerAccount.objects.all())
        held = balances(accounts)
        for account in accounts:
            if account.kind in NEVER_NEGATIVE:
                assert held[account.pk] >= 0, account
            if account.kind in NEVER_POSITIVE:
                assert held[account.pk] <= 0, account

    @invariant()
    def money_in_equals_money_out_plus_what_is_held(self) -> None:
        by_kind = dict(
            LedgerEntry.objects.values_list("account__kind").annotate(total=Sum("amount"))
        )
        paid_in = -by_kind.get(Kind.RECEIVED, 0)
        paid_out = sum(
            by_kind.get(k, 0) for k in (Kind.REFUNDED, Kind.PAID_OUT, Kind.PROVIDER_FEES)
        )
        held = sum(
            by_kind.get(k, 0) for k in (Kind.ESCROW, Kind.PAYABLE, Kind.IN_TRANSIT, Kind.REVENUE)
        )
        assert paid_in == paid_out + held
        succeeded = Payment.objects.filter(state="succeeded").aggregate(t=Sum("amount"))["t"]
        assert paid_in == (succeeded or 0)

    @invariant()
    def no_session_is_settled_twice_and_refunds_stay_within_payments(self) -> None:
        releases = LedgerTransaction.objects.filter(kind="release").values_list(
            "booking", flat=True
        )
        assert len(releases) == len(set(releases))
        assert Settlement.objects.filter(booking__in=list(releases)).count() == len(releases)
        for payment in Payment.objects.filter(state="succeeded"):
            given = payment.refunds.aggregate(t=Sum("amount"))["t"] or 0
            assert given <= payment.amount

    @invariant()
    def no_mentor_is_paid_more_than_released(self) -> None:
        released = (
            LedgerEntry.objects.filter(
                transaction__kind__in=["release", "payout_failed"], account__kind=Kind.PAYABLE
            ).aggregate(t=Sum("amount"))["t"]
            or 0
        )
        sent = Payout.objects.exclude(state=Payout.State.FAILED).aggregate(t=Sum("amount"))["t"]
        assert (sent or 0) <= released

    def check_all_settled(self) -> None:
        """With the provider up, the tick run until nothing is due leaves every captured
        amount in escrow, released or refunded, and every refund made."""
        self.the_provider_goes_down_or_comes_back(down=False)
        moment = timezone.now()
        # Past every hold, session, dispute window and package's expiry; then long enough
        # for what those last ticks decided to be sent.
        for minutes in (60, 24 * 60, 7 * 24 * 60, 90 * 24 * 60, 90 * 24 * 60 + 10):
            with time_machine.travel(moment + timedelta(minutes=minutes)):
                tick()
        for charge in SandboxCharge.objects.filter(state="succeeded"):
            payment = Payment.objects.get(provider="sandbox", reference=charge.reference)
            assert payment.state == Payment.State.SUCCEEDED, payment
            entries = LedgerEntry.objects.filter(transaction__key=f"payment:{payment.pk}")
            assert entries.filter(account__kind=Kind.ESCROW).get().amount == charge.amount
        assert not Payment.objects.filter(state__in=Payment.LIVE, booking__status="cancelled")
        assert not Refund.objects.exclude(state=Refund.State.SENT).exists()
        made = sum(
            SandboxCharge.objects.get(reference=r.payment.reference)
            .refunds.filter(key=r.key)
            .count()
            for r in Refund.objects.select_related("payment")
        )
        assert made == Refund.objects.count()
        verify_ledger()


class SettledMoney(Money):
    def teardown(self) -> None:
        try:
            self.check_all_settled()
        finally:
            super().teardown()


@pytest.mark.django_db
def test_no_money_is_lost_doubled_or_stuck() -> None:
    machine = SettledMoney.TestCase
    machine.settings = settings(
        max_examples=20,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    machine().runTest()
