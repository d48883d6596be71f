"""Receipts for mentees and monthly statements for mentors, as pages and PDF files, and the
mentor's earnings by month."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, make_bookable
from mentor247.payments import domain
from mentor247.payments.models import Payment
from mentor247.payments.tests.test_payouts import earned
from mentor247.payments.tests.test_settlement import after_the_window


def money_on(page: str) -> dict[str, str]:
    """The amounts a page shows, by their data-money names."""
    return dict(re.findall(r'data-money="([a-z_]+)">([^<]*)<', page))


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.fixture
def paid(bookable: Bookable, mentee: User) -> Payment:
    booking = earned(bookable, mentee)
    payment = Payment.objects.get(booking=booking)
    domain.refund_payment(payment, 1000, reason="Goodwill for a late start.")
    return payment


def test_a_mentee_has_a_receipt_of_each_payment_as_a_page_and_a_pdf(
    paid: Payment, client: Client
) -> None:
    client.force_login(paid.mentee)
    url = reverse("payments:receipt", args=[paid.pk])
    page = client.get(url).content.decode()
    assert f"Receipt R-{paid.pk}" in page
    # What was charged, given back and kept, and the fee of the one session held so far: a
    # third of the €36.00 advertised for the package of three.
    assert money_on(page) == {
        "charged": "€240.00",
        "refunded": "€10.00",
        "kept": "€230.00",
        "fee": "€12.00",
    }
    assert "Goodwill for a late start." in page and "€10.00" in page
    document = client.get(url, {"format": "pdf"})
    assert document["Content-Type"] == "application/pdf"
    assert document["Content-Disposition"] == f'attachment; filename="receipt-R-{paid.pk}.pdf"'
    assert document.content.startswith(b"%PDF-") and document.content.rstrip().endswith(b"%%EOF")


def test_a_receipt_is_the_mentees_alone_and_only_of_a_payment_made(
    paid: Payment, bookable: Bookable, client: Client, stranger: User
) -> None:
    url = reverse("payments:receipt", args=[paid.pk])
    for user in (stranger, bookable.mentor):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(url, {"format": "pdf"}).status_code == 404
    Payment.objects.filter(pk=paid.pk).update(state=Payment.State.FAILED)
    client.force_login(paid.mentee)
    assert client.get(url).status_code == 404


def test_a_mentor_downloads_a_months_statement(
    paid: Payment, bookable: Bookable, client: Client
) -> None:
    client.force_login(bookable.mentor)
    url = reverse("mentor:statement")
    month = timezone.localdate().strftime("%Y-%m")
    document = client.get(url, {"month": month})
    assert document["Content-Type"] == "application/pdf"
    assert document["Content-Disposition"] == f'attachment; filename="statement-{month}.pdf"'
    assert document.content.startswith(b"%PDF-")
    # No month is this month; a month with nothing in it is a statement too.
    assert client.get(url)["Content-Disposition"].endswith(f'{month}.pdf"')
    assert client.get(url, {"month": "2020-01"}).content.startswith(b"%PDF-")
    # A month given badly, or far outside any real one, goes back to the earnings page with
    # a message saying what a month looks like.
    for bad in ("soon", "9999-12", "0001-01", "2026-13"):
        response = client.get(url, {"month": bad}, follow=True)
        assert response.redirect_chain == [(reverse("mentor:earnings"), 302)]
        assert f"There is no statement for “{bad}”" in response.content.decode()
    client.force_login(paid.mentee)
    assert client.get(url).status_code in (302, 403, 404)


def test_the_earnings_page_charts_the_last_twelve_months(
    paid: Payment, bookable: Bookable, client: Client
) -> None:
    with after_the_window(paid.booking):  # when the release was made
        client.force_login(bookable.mentor)
        page = client.get(reverse("mentor:earnings")).content.decode()
    chart = page[page.index('id="earnings-chart"') :]
    chart = chart[: chart.index("</svg>")]
    heights = [int(h) for h in re.findall(r'height="(\d+)"', chart)]
    assert heights == [0] * 11 + [100]  # released this month only
    assert "€68.00" in chart


def test_a_booking_page_links_the_receipt(paid: Payment, client: Client) -> None:
    client.force_login(paid.mentee)
    page = client.get(reverse("bookings:booking", args=[paid.booking_id])).content.decode()
    assert reverse("payments:receipt", args=[paid.pk]) in page
    booking = Booking.objects.get(pk=paid.booking_id)
    assert booking.status == Booking.Status.COMPLETED
