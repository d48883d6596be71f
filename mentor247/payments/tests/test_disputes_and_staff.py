"""Disputes hold a session's release until staff decide; staff refund with a reason; each
staff action is in the audit log; the staff pages are staff's alone."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from mentor247.accounts.models import AuditEntry, User
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.conftest import staff_client
from mentor247.payments import domain
from mentor247.payments.models import Dispute, Payment, Refund, Settlement
from mentor247.payments.tests.test_payouts import money
from mentor247.payments.tests.test_settlement import accounts, after_the_window, mark, paid_booking


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.fixture
def held_session(bookable: Bookable, mentee: User) -> Booking:
    """A paid session that took place: its money waits for the dispute window."""
    booking = paid_booking(bookable.hour, mentee, at(5, 10))
    mark(booking, Booking.Status.COMPLETED)
    return Booking.objects.get(pk=booking.pk)


def test_a_dispute_holds_the_release_until_staff_refund(
    held_session: Booking, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    assert domain.can_dispute(held_session)
    with pytest.raises(ValidationError):
        domain.open_dispute(held_session, held_session.mentee, reason="  ")
    dispute = domain.open_dispute(
        held_session, held_session.mentee, reason="The mentor left after ten minutes."
    )
    assert not domain.can_dispute(held_session)
    with after_the_window(held_session):
        assert domain.settle_due_sessions() == 0  # held for staff
    assert accounts(held_session) == (9000, 0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        domain.decide_dispute(dispute, refund=True, by=staff, reason="The call log agrees.")
    dispute.refresh_from_db()
    assert (dispute.state, dispute.decided_by) == (Dispute.State.REFUNDED, staff)
    assert accounts(held_session) == (0, 0, 0)
    assert Refund.objects.get().state == Refund.State.SENT
    assert Settlement.objects.get(booking=held_session).outcome == "refunded"
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.subject, entry.reason) == (
        staff,
        "payments.decide_dispute",
        f"booking:{held_session.pk}",
        "The call log agrees.",
    )
    with pytest.raises(ValidationError, match="decided already"):
        domain.decide_dispute(dispute, refund=False, by=staff, reason="Changed my mind.")


def test_staff_may_release_a_disputed_session_to_the_mentor(
    held_session: Booking, staff: User
) -> None:
    dispute = domain.open_dispute(held_session, held_session.mentee, reason="Too short.")
    domain.decide_dispute(dispute, refund=False, by=staff, reason="It ran the full hour.")
    assert accounts(held_session) == (0, 7650, 1350)


def test_no_dispute_after_the_window_or_by_someone_else(
    held_session: Booking, bookable: Bookable
) -> None:
    with pytest.raises(ValidationError, match="no longer be disputed"):
        domain.open_dispute(held_session, bookable.mentor, reason="Not mine to dispute.")
    with after_the_window(held_session):
        assert not domain.can_dispute(held_session)
        with pytest.raises(ValidationError, match="no longer be disputed"):
            domain.open_dispute(held_session, held_session.mentee, reason="Late.")


def test_a_staff_refund_needs_a_reason_and_is_in_the_audit_log(
    held_session: Booking, staff: User, client: Client
) -> None:
    payment = Payment.objects.get(booking=held_session)
    client = staff_client(staff)
    url = reverse("payments_staff:payment", args=[payment.pk])
    refused = client.post(url, {"amount": "10.00", "reason": ""})
    assert refused.status_code == 400
    too_much = client.post(url, {"amount": "90.01", "reason": "Goodwill."})
    assert too_much.status_code == 400
    assert "at most what is left" in too_much.content.decode()
    assert Refund.objects.count() == 0 and AuditEntry.objects.count() == 0
    done = client.post(url, {"amount": "10.00", "reason": "Goodwill: the sound was poor."})
    assert done.status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount, refund.by, refund.reason) == (
        1000,
        staff,
        "Goodwill: the sound was poor.",
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.subject, entry.details["amount"]) == (
        "payments.refund",
        f"payment:{payment.pk}",
        1000,
    )
    page = client.get(url).content.decode()
    assert "Goodwill: the sound was poor." in page


def test_staff_find_payments_and_payouts(
    held_session: Booking, staff: User, client: Client
) -> None:
    payment = Payment.objects.get(booking=held_session)
    client = staff_client(staff)
    listing = reverse("payments_staff:payments")
    assert (
        f"#{payment.pk}" in client.get(listing, {"q": held_session.mentee.email}).content.decode()
    )
    assert f"#{payment.pk}" in client.get(listing, {"q": str(held_session.pk)}).content.decode()
    assert (
        "No payment matches." in client.get(listing, {"q": "nobody@example.com"}).content.decode()
    )
    assert client.get(reverse("payments_staff:payouts"), {"q": "x"}).status_code == 200
    assert client.get(reverse("payments_staff:disputes")).status_code == 200


@pytest.mark.parametrize("who", ["stranger", "mentee", "mentor"])
def test_the_staff_pages_are_staffs_alone(
    held_session: Booking, bookable: Bookable, client: Client, stranger: User, who: str
) -> None:
    user = {"stranger": stranger, "mentee": held_session.mentee, "mentor": bookable.mentor}[who]
    payment = Payment.objects.get(booking=held_session)
    dispute = domain.open_dispute(held_session, held_session.mentee, reason="Something.")
    client.force_login(user)
    for url in (
        reverse("payments_staff:payments"),
        reverse("payments_staff:payment", args=[payment.pk]),
        reverse("payments_staff:disputes"),
        reverse("payments_staff:dispute", args=[dispute.pk]),
        reverse("payments_staff:payouts"),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("payments_staff:payment", args=[payment.pk]), {"amount": "1", "reason": "x"}
        ).status_code
        == 404
    )
    assert Refund.objects.count() == 0


def test_only_the_mentee_may_open_the_dispute_page(
    held_session: Booking, bookable: Bookable, client: Client, stranger: User
) -> None:
    url = reverse("payments:dispute", args=[held_session.pk])
    for user in (stranger, bookable.mentor):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(held_session.mentee)
    assert client.get(url).status_code == 200
    sent = client.post(url, {"reason": "The video froze the whole time."})
    assert sent.status_code == 302
    assert Dispute.objects.get().reason == "The video froze the whole time."
    assert money(bookable.profile, held_session.engagement.currency) == (0, 0, 0)
