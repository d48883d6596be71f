"""A mentee pays for a session in a real browser with the sandbox's test cards: a declined
card first, told clearly, then one that goes through. The sandbox reports each outcome to
the platform by a signed webhook over HTTP, as an outside provider would."""

import contextlib
from typing import Any

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at
from mentor247.conftest import Visitor, _visitor
from mentor247.payments.ledger import balance, escrow_of
from mentor247.payments.models import Payment, WebhookEvent
from mentor247.payments.tests.test_payouts import earned
from mentor247.payments.tests.test_settlement import mark, paid_booking


def hold_a_time(visitor: Visitor, bookable: Bookable) -> Booking:
    page = visitor.page
    visitor.goto(f"/mentors/{bookable.profile.pk}/offerings/{bookable.package.pk}/")
    page.check(f"input[name=start][value='{at(3, 10).isoformat()}']")
    visitor.submit(".book-form button[type=submit]")
    booking = Booking.objects.latest("pk")
    assert visitor.path(page.url) == f"/bookings/{booking.pk}/"
    assert page.locator(".booking-status").inner_text() == "held"
    visitor.submit("#checkout", expect_path=f"/payments/checkout/{booking.pk}/")
    return booking


def pay_with(visitor: Visitor, number: str) -> None:
    page = visitor.page
    visitor.submit("#pay")
    assert visitor.path(page.url).startswith("/payments/sandbox/sbx_")
    page.fill("input[name=number]", number)
    page.fill("input[name=expiry]", "12/40")
    page.fill("input[name=code]", "123")
    visitor.submit("#sandbox-pay")


def test_a_mentee_pays_with_a_test_card_after_a_declined_one(
    visitor: Visitor, bookable: Bookable, mentee: User, settings: Any, asgi_server: str
) -> None:
    settings.SITE_URL = asgi_server  # where the sandbox sends its webhooks
    page = visitor.page
    visitor.log_in(mentee.email)

    first = hold_a_time(visitor, bookable)
    summary = page.locator("main").inner_text()
    assert "€240.00" in summary and "€36.00 (15 %)" in summary
    assert "free of charge until 24 hours before it starts" in summary
    assert "Terms of Use" in summary and "Mentor Code of Conduct" in summary
    visitor.screenshot("checkout")
    pay_with(visitor, "4000 0000 0000 0002")
    declined = Payment.objects.get(booking=first)
    assert visitor.path(page.url) == f"/payments/{declined.pk}/"
    assert page.locator("#payment-state").get_attribute("data-state") == "failed"
    assert "Your card was declined. Please try another card." in page.inner_text("main")
    assert Booking.objects.get(pk=first.pk).status == Booking.Status.CANCELLED
    assert WebhookEvent.objects.count() == 1  # delivered over HTTP and handled

    visitor.submit("text=Choose a time again")
    second = hold_a_time(visitor, bookable)
    pay_with(visitor, "4242 4242 4242 4242")
    paid = Payment.objects.get(booking=second)
    assert visitor.path(page.url) == f"/payments/{paid.pk}/"
    assert "Paid. Your session is booked." in page.inner_text("#payment-state")
    visitor.screenshot("payment-paid")
    assert balance(escrow_of(second.engagement, paid.currency)) == 24000
    assert WebhookEvent.objects.count() == 2
    visitor.submit("text=Receipt", expect_path=f"/payments/{paid.pk}/receipt/")
    assert "€240.00" in page.inner_text("#receipt")
    with page.expect_download() as download:
        page.click("#receipt-pdf")
    assert download.value.suggested_filename == f"receipt-R-{paid.pk}.pdf"
    visitor.goto(f"/payments/{paid.pk}/")
    visitor.submit("text=See your booking", expect_path=f"/bookings/{second.pk}/")
    assert page.locator(".booking-status").inner_text() == "confirmed"


def test_a_card_that_needs_the_banks_confirmation_is_confirmed_on_the_sandbox_page(
    visitor: Visitor, bookable: Bookable, mentee: User, settings: Any, asgi_server: str
) -> None:
    settings.SITE_URL = asgi_server
    visitor.log_in(mentee.email)
    booking = hold_a_time(visitor, bookable)
    pay_with(visitor, "4000 0025 0000 3155")
    assert visitor.path(visitor.page.url).endswith("/confirm/")
    assert Payment.objects.get(booking=booking).state == Payment.State.REQUIRES_ACTION
    visitor.submit("#approve")
    assert "Paid. Your session is booked." in visitor.page.inner_text("#payment-state")
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


def test_a_mentor_sees_the_money_sets_up_payouts_and_is_paid(
    visitor: Visitor, bookable: Bookable, mentee: User, settings: Any, asgi_server: str
) -> None:
    settings.SITE_URL = asgi_server
    earned(bookable, mentee)  # a session held, and its dispute window passed
    page = visitor.page
    visitor.log_in(bookable.mentor.email)
    visitor.goto("/mentor/earnings/")
    assert page.locator("[data-money=available]").inner_text() == "€68.00"
    assert page.locator("[data-money=escrow]").inner_text() == "€136.00"
    assert "release to the mentor" in page.inner_text("#statement")
    visitor.submit("#payout-setup")
    assert visitor.path(page.url).startswith("/payments/sandbox/accounts/sba_")
    page.fill("input[name=number]", "GB33 BUKB 2020 1555 5555 55")
    visitor.submit("#sandbox-account", expect_path="/mentor/earnings/")
    visitor.submit("#request-payout-EUR", expect_path="/mentor/earnings/")
    assert "A payout of €68.00 is on its way." in page.inner_text("main")
    assert page.locator("[data-money=paid]").inner_text() == "€68.00"
    assert page.locator("[data-money=available]").inner_text() == "€0.00"
    assert page.locator(".payout-state").first.inner_text() == "paid"
    visitor.screenshot("mentor-earnings")
    with page.expect_download() as download:
        page.click("#statement-pdf")
    assert download.value.suggested_filename.startswith("statement-")


def test_a_mentee_disputes_a_session_and_staff_refund_it(
    visitor: Visitor, bookable: Bookable, mentee: User, staff: User, chromium: Any, asgi_server: str
) -> None:
    booking = paid_booking(bookable.hour, mentee, at(5, 10))
    mark(booking, Booking.Status.COMPLETED)
    page = visitor.page
    visitor.log_in(mentee.email)
    visitor.goto(f"/bookings/{booking.pk}/")
    assert "You paid €90.00" in page.inner_text("#payment-panel")
    visitor.submit("#dispute", expect_path=f"/payments/disputes/{booking.pk}/")
    page.fill("textarea[name=reason]", "The mentor left after ten minutes.")
    visitor.submit("main form button[type=submit]", expect_path=f"/bookings/{booking.pk}/")
    assert "waiting for staff" in page.inner_text("#payment-panel")

    staff_visitor = contextlib.contextmanager(_visitor)
    with staff_visitor(chromium, asgi_server, locale="en-GB", timezone_id="UTC") as staff_tab:
        staff_tab.log_in(staff.email)
        staff_tab.goto("/staff/payments/")
        assert "1 dispute waits for a decision." in staff_tab.page.inner_text("main")
        staff_tab.goto("/staff/payments/disputes/")
        staff_tab.submit("#disputes a")
        assert "The mentor left after ten minutes." in staff_tab.page.inner_text("#dispute-reason")
        staff_tab.page.check("input[value=refund]")
        staff_tab.page.fill("textarea[name=reason]", "The room's record agrees.")
        staff_tab.submit("#decide", expect_path="/staff/payments/disputes/")
        staff_tab.screenshot("staff-disputes")
    visitor.goto(f"/bookings/{booking.pk}/")
    panel = page.inner_text("#payment-panel")
    assert "€90.00 of it has been given back to you." in panel
    assert "The room's record agrees." in panel
