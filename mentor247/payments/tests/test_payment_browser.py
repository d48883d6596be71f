"""A mentee pays for a session in a real browser with the sandbox's test cards: a declined
card first, told clearly, then one that goes through. The sandbox reports each outcome to
the platform by a signed webhook over HTTP, as an outside provider would."""

from typing import Any

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at
from mentor247.conftest import Visitor
from mentor247.payments.ledger import balance, escrow_of
from mentor247.payments.models import Payment, WebhookEvent
from mentor247.payments.tests.test_payouts import earned


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
