"""`make run` on a port of one's choosing: a mentee pays, and the payment pages' redirects and
the sandbox's webhook find the server where it is, with no SITE_URL given."""

from typing import Any

import pytest
from django.test import Client

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, make_bookable
from mentor247.conftest import _visitor
from mentor247.lib.tests.test_forwarded import served
from mentor247.payments.models import Payment
from mentor247.payments.tests.test_payment_browser import hold_a_time, pay_with


@pytest.fixture
def bookable(transactional_db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def test_a_mentee_pays_on_a_server_started_on_another_port(
    chromium: Any, bookable: Bookable, mentee: User
) -> None:
    client = Client()
    client.force_login(mentee)
    for url in served():  # the web server, the worker and the tick, as `make run` starts them
        assert not url.endswith(":8000")
        for visitor in _visitor(chromium, url, locale="en-GB", timezone_id="Europe/Madrid"):
            visitor.page.context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}]
            )
            booking = hold_a_time(visitor, bookable)
            pay_with(visitor, "4242 4242 4242 4242")  # led to the sandbox's page on this server
            paid = Payment.objects.get(booking=booking)
            assert visitor.path(visitor.page.url) == f"/payments/{paid.pk}/"
            # The worker delivers the sandbox's webhook to SITE_URL, derived from the port.
            visitor.page.wait_for_selector("#payment-state[data-state=succeeded]")
            assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
