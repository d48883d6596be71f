"""What clients send at the edges: dates far off, numbers for times, unknown fields, lengths
that do not match, dates twice; and why a time cannot be booked."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from mentor247.accounts.models import User
from mentor247.api.tests.conftest import token_client
from mentor247.bookings import domain
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.scheduling import slots
from mentor247.scheduling.domain import AvailabilityTerms, BookingSettings, replace_availability

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def z(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


FAR = ["9999-12-31T00:00:00Z", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-12:00"]


def refused(response: Any, field: str) -> str:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    return " ".join(body["errors"][field])


@pytest.mark.parametrize("moment", FAR)
def test_far_years_are_refused_at_the_edge(
    bookable: Bookable, mentee: User, client: Client, moment: str
) -> None:
    path = f"/api/mentors/{bookable.profile.pk}/offerings/{bookable.hour.pk}/open-times"
    assert "2000 to 2099" in refused(client.get(path, {"start": moment, "end": moment}), "start")
    assert "2000 to 2099" in refused(client.get(path, {"start": z(at(1, 0)), "end": moment}), "end")
    mentee_api = token_client(mentee)
    booked = post(mentee_api, "/api/bookings", {"offering_id": bookable.hour.pk, "start": moment})
    assert "2000 to 2099" in refused(booked, "start")
    session = domain.book(bookable.half_hour, mentee, at(3, 10))
    move = post(
        mentee_api, f"/api/me/bookings/{session.pk}/move", {"start": moment, "reason": "Later."}
    )
    assert "2000 to 2099" in refused(move, "start")
    assert Booking.objects.get().starts_at == at(3, 10)


@pytest.mark.parametrize("start", [1893456000, 1893456000.5, "1893456000", True])
def test_a_number_is_not_a_time(bookable: Bookable, mentee: User, start: Any) -> None:
    response = post(
        token_client(mentee), "/api/bookings", {"offering_id": bookable.hour.pk, "start": start}
    )
    assert "ISO 8601" in refused(response, "start")
    assert not Booking.objects.exists()


def test_unknown_fields_are_refused(bookable: Bookable, mentee: User) -> None:
    body = {"offering_id": bookable.hour.pk, "start": z(at(3, 10)), "duration": 30}
    response = post(token_client(mentee), "/api/bookings", body)
    assert refused(response, "duration")
    assert not Booking.objects.exists()
    patched = token_client(bookable.mentor).patch(
        "/api/me/profile", json.dumps({"headline": "New", "salary": 1}), "application/json"
    )
    assert refused(patched, "salary")
    bookable.profile.refresh_from_db()
    assert bookable.profile.headline != "New"


def test_a_length_that_is_not_the_offerings_books_nothing(bookable: Bookable, mentee: User) -> None:
    client = token_client(mentee)
    body = {"offering_id": bookable.hour.pk, "start": z(at(3, 10))}
    assert "60 minutes" in refused(
        post(client, "/api/bookings", {**body, "minutes": 30}), "minutes"
    )
    assert not Booking.objects.exists()
    assert post(client, "/api/bookings", {**body, "minutes": 60}).status_code == 201


def test_a_date_given_twice_in_availability_is_refused(mentor: User) -> None:
    week = {"weekly_hours": [["09:00-12:00"]] * 7}
    twice = {
        **week,
        "overrides": [
            {"date": "2027-01-04", "hours": []},
            {"date": "2027-01-04", "hours": ["10:00-11:00"]},
        ],
    }
    client = token_client(mentor)
    response = client.put("/api/me/availability", json.dumps(twice), "application/json")
    assert "2027-01-04" in refused(response, "overrides")
    far = {**week, "overrides": [{"date": "9999-01-04", "hours": []}]}
    response = client.put("/api/me/availability", json.dumps(far), "application/json")
    assert "2000 to 2099" in refused(response, "overrides.0.date")
    assert client.get("/api/me/availability").json()["weekly_hours"] == [[]] * 7


def test_open_times_keep_to_the_offerings_credit_days(bookable: Bookable, mentee: User) -> None:
    """Every time offered can be booked: none past the offering's 30 days."""
    path = f"/api/mentors/{bookable.profile.pk}/offerings/{bookable.hour.pk}/open-times"
    starts = Client().get(path, {"start": z(at(28, 0)), "end": z(at(33, 0))}).json()["starts"]
    assert starts
    last = datetime.fromisoformat(starts[-1])
    assert last + timedelta(hours=1) <= datetime.now(UTC) + timedelta(days=30)
    response = post(
        token_client(mentee),
        "/api/bookings",
        {"offering_id": bookable.hour.pk, "start": starts[-1]},
    )
    assert response.status_code == 201


def test_a_time_that_cannot_be_had_says_why(bookable: Bookable, mentee: User) -> None:
    client = token_client(mentee)

    def why(start: datetime) -> tuple[int, str]:
        response = post(
            client, "/api/bookings", {"offering_id": bookable.hour.pk, "start": z(start)}
        )
        return response.status_code, response.json()["code"]

    assert why(at(-2, 10)) == (409, "past")
    assert why(at(3, 10, 7)) == (409, "off_grid")
    assert why(at(3, 3)) == (409, "time_not_free")  # outside the mentor's hours
    replace_availability(
        bookable.profile,
        AvailabilityTerms(
            weekly_hours=[[(8 * 60, 20 * 60)]] * 7,
            settings=BookingSettings(minimum_notice=48 * 60, horizon_days=10, slot_grid=15),
        ),
    )
    assert why(at(1, 10)) == (409, "too_soon")
    assert why(at(20, 10)) == (409, "beyond_horizon")
    response = post(
        client, "/api/bookings", {"offering_id": bookable.hour.pk, "start": z(at(20, 10))}
    )
    assert "10 days" in response.json()["detail"]
    assert not Booking.objects.exists()


def test_the_rules_say_why_a_time_is_not_free() -> None:
    rules = slots.Rules(
        time_zone="Europe/Berlin",
        weekly=((slots.Interval(0, 1440),),) * 7,
        notice=timedelta(hours=12),
        horizon=timedelta(days=30),
        grid=30,
    )
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    assert slots.why_not_free(rules, now - timedelta(minutes=1), now=now) == "past"
    assert slots.why_not_free(rules, now + timedelta(hours=11), now=now) == "too_soon"
    assert slots.why_not_free(rules, now + timedelta(days=30), now=now) == "beyond_horizon"
    assert slots.why_not_free(rules, now + timedelta(hours=13, minutes=15), now=now) == "off_grid"
    # 14:30 UTC is 15:30 in Berlin: on the grid of the mentor's clock.
    assert slots.why_not_free(rules, now + timedelta(hours=14, minutes=30), now=now) is None
    kathmandu = slots.Rules(
        time_zone="Asia/Kathmandu", weekly=((slots.Interval(0, 1440),),) * 7, grid=30
    )
    # 12:15 UTC is 18:00 in Kathmandu (+05:45): on the grid there, though not in UTC.
    assert slots.why_not_free(kathmandu, now + timedelta(days=1, minutes=15), now=now) is None
