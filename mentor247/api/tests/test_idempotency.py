"""Idempotency-Key: claimed with the booking under the mentee's lock, so the same request sent
ten times at once makes one booking and ten answers of it; another request with the key is
refused; keys last 24 hours."""

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.api.domain import create_token
from mentor247.api.tests.conftest import bearer
from mentor247.bookings.domain import forget_idempotency_keys
from mentor247.bookings.models import Booking, IdempotencyKey
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.conftest import make_user, race


def z(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def book(secret: str, body: dict[str, Any], key: str) -> Any:
    return Client(headers=bearer(secret)).post(
        "/api/bookings",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def mentee_with_token() -> tuple[User, str]:
    mentee = make_user("mia.mentee@example.com")
    _token, secret = create_token(mentee, name="tests")
    return mentee, secret


@pytest.mark.django_db(transaction=True)
def test_ten_identical_requests_at_once_make_one_booking_and_ten_answers() -> None:
    bookable = make_bookable("max.mentor@example.com")
    _mentee, secret = mentee_with_token()
    body = {"offering_id": bookable.hour.pk, "start": z(at(3, 10))}

    responses = race(*(lambda: book(secret, body, "same-key") for _n in range(10)))

    statuses = [getattr(response, "status_code", response) for response in responses]
    assert statuses == [201] * 10, [getattr(r, "content", r) for r in responses]
    answered = {response.json()["id"] for response in responses}  # type: ignore[attr-defined]
    assert answered == {Booking.objects.get().pk}
    assert IdempotencyKey.objects.get().booking == Booking.objects.get()


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.mark.django_db
def test_the_same_key_with_another_request_is_422_and_books_nothing(bookable: Bookable) -> None:
    _mentee, secret = mentee_with_token()
    first = book(secret, {"offering_id": bookable.hour.pk, "start": z(at(3, 10))}, "k")
    assert first.status_code == 201

    other_time = book(secret, {"offering_id": bookable.hour.pk, "start": z(at(3, 14))}, "k")
    other_offering = book(secret, {"offering_id": bookable.package.pk, "start": z(at(3, 10))}, "k")
    other_flag = book(
        secret,
        {"offering_id": bookable.hour.pk, "start": z(at(3, 10)), "first_mentoring": True},
        "k",
    )
    for response in (other_time, other_offering, other_flag):
        assert response.status_code == 422
        assert response.json()["code"] == "idempotency_key_reused"
    assert Booking.objects.count() == 1

    # The same instant written with another offset is the same request.
    same = book(
        secret,
        {"offering_id": bookable.hour.pk, "start": at(3, 10).astimezone().isoformat()},
        "k",
    )
    assert same.status_code == 201 and same.json()["id"] == first.json()["id"]


@pytest.mark.django_db
def test_a_refused_request_claims_no_key(bookable: Bookable) -> None:
    _mentee, secret = mentee_with_token()
    past = book(secret, {"offering_id": bookable.hour.pk, "start": z(at(-3, 10))}, "k")
    assert past.status_code == 409
    assert not IdempotencyKey.objects.exists()
    assert (
        book(secret, {"offering_id": bookable.hour.pk, "start": z(at(3, 10))}, "k").status_code
        == 201
    )


@pytest.mark.django_db
def test_keys_last_24_hours(bookable: Bookable) -> None:
    _mentee, secret = mentee_with_token()
    body = {"offering_id": bookable.hour.pk, "start": z(at(3, 10))}
    first = book(secret, body, "k").json()["id"]
    with time_machine.travel(timezone.now() + timedelta(hours=23, minutes=59)):
        assert book(secret, body, "k").json()["id"] == first
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        later = {"offering_id": bookable.hour.pk, "start": z(at(4, 14))}
        again = book(secret, later, "k")
        assert again.status_code == 201 and again.json()["id"] != first
        assert IdempotencyKey.objects.get().booking_id == again.json()["id"]


@pytest.mark.django_db
def test_the_tick_forgets_keys_older_than_24_hours(bookable: Bookable) -> None:
    _mentee, secret = mentee_with_token()
    book(secret, {"offering_id": bookable.hour.pk, "start": z(at(3, 10))}, "old")
    assert forget_idempotency_keys(timezone.now()) == 0
    assert forget_idempotency_keys(timezone.now() + timedelta(hours=24)) == 1
    assert not IdempotencyKey.objects.exists()
    assert Booking.objects.count() == 1
