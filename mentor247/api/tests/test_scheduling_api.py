"""The API of availability, open times and bookings."""

import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mentor247.accounts.models import User
from mentor247.api.tests.conftest import token_client
from mentor247.bookings import domain
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.policies.models import PolicyKind
from mentor247.policies.tests.test_policies import publish
from mentor247.scheduling.models import Availability

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def post(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def z(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z")


WEEK = {
    "weekly_hours": [["09:00-12:00", "14:00-18:00"], [], [], [], [], ["10:00-24:00"], []],
    "buffer_before": 10,
    "buffer_after": 5,
    "minimum_notice": 120,
    "horizon_days": 90,
    "max_per_day": 4,
    "slot_grid": 15,
    "overrides": [{"date": "2026-12-24", "hours": []}],
    "travel": [{"first_day": "2027-01-04", "last_day": "2027-01-08", "time_zone": "Asia/Tokyo"}],
}


def test_a_mentor_reads_and_replaces_their_availability(mentor: User) -> None:
    client = token_client(mentor)
    empty = client.get("/api/me/availability").json()
    assert empty["weekly_hours"] == [[]] * 7
    response = client.put("/api/me/availability", json.dumps(WEEK), content_type="application/json")
    assert response.status_code == 200
    assert response.json() == WEEK
    assert client.get("/api/me/availability").json() == WEEK

    bad = {**WEEK, "weekly_hours": [["09:00-12:00", "11:00-13:00"]] + [[]] * 6}
    response = client.put("/api/me/availability", json.dumps(bad), content_type="application/json")
    assert response.status_code == 422
    assert "overlap" in response.json()["errors"]["weekly_hours"][0]
    trip = {**WEEK, "travel": [{"first_day": "2027-01-04", "last_day": "2027-01-08",
                                "time_zone": "Mars/Base"}]}  # fmt: skip
    assert client.put("/api/me/availability", json.dumps(trip),
                      content_type="application/json").status_code == 422  # fmt: skip
    assert Availability.objects.get().weekly_hours[0] == [[540, 720], [840, 1080]]


def test_open_times_are_utc_and_need_an_offset(bookable: Bookable, client: Client) -> None:
    path = f"/api/mentors/{bookable.profile.pk}/offerings/{bookable.hour.pk}/open-times"
    day = at(3, 0)
    response = client.get(path, {"start": z(at(3, 10)), "end": z(at(3, 11, 1))})
    assert response.status_code == 200
    assert response.json() == {
        "minutes": 60,
        "starts": [
            z(at(3, 10)),
            z(at(3, 10, 15)),
            z(at(3, 10, 30)),
            z(at(3, 10, 45)),
            z(at(3, 11)),
        ],
    }
    # The same instants asked for in Kathmandu's offset.
    nepal = at(3, 10).astimezone(ZoneInfo("Asia/Kathmandu"))
    same = client.get(path, {"start": nepal.isoformat(), "end": z(at(3, 11, 1))}).json()
    assert same == response.json()
    naive = client.get(path, {"start": "2026-12-01T09:00", "end": z(day)})
    assert naive.status_code == 422
    assert "offset from UTC" in naive.json()["errors"]["start"][0]
    too_long = client.get(path, {"start": z(day), "end": z(at(100, 0))})
    assert too_long.status_code == 400
    assert client.get(f"/api/mentors/{bookable.profile.pk}/offerings/999/open-times",
                      {"start": z(day), "end": z(at(4, 0))}).status_code == 404  # fmt: skip


def test_booking_through_the_api(bookable: Bookable, mentee: User, stranger: User) -> None:
    client = token_client(mentee)
    body = {"offering_id": bookable.hour.pk, "start": z(at(3, 10)), "first_mentoring": True}
    made = post(client, "/api/bookings", body, **{"Idempotency-Key": "req-1"})
    assert made.status_code == 201
    booking = made.json()
    assert (booking["status"], booking["role"], booking["starts_at"]) == (
        "held",
        "mentee",
        z(at(3, 10)),
    )
    again = post(client, "/api/bookings", body, **{"Idempotency-Key": "req-1"})
    assert (again.status_code, again.json()["id"]) == (201, booking["id"])

    other = token_client(stranger)
    taken = post(other, "/api/bookings", {**body, "start": z(at(3, 10, 30))})
    assert taken.status_code == 409
    assert "not free" in taken.json()["detail"]
    naive = post(other, "/api/bookings", {**body, "start": "2030-01-01T10:00:00"})
    assert naive.status_code == 422
    assert "offset from UTC" in naive.json()["errors"]["start"][0]

    free = post(
        client, "/api/bookings", {"offering_id": bookable.half_hour.pk, "start": z(at(4, 10))}
    )
    assert free.json()["status"] == "confirmed"
    listed = client.get("/api/me/bookings").json()
    assert [b["id"] for b in listed] == [booking["id"], free.json()["id"]]
    assert token_client(bookable.mentor).get("/api/me/bookings").json()[0]["role"] == "mentor"

    moved_path = f"/api/me/bookings/{free.json()['id']}/move"
    conflict = post(client, moved_path, {"start": z(at(3, 10)), "reason": "Earlier."})
    assert conflict.status_code == 409
    moved = post(client, moved_path, {"start": z(at(4, 12)), "reason": "Later."})
    assert (moved.status_code, moved.json()["starts_at"]) == (200, z(at(4, 12)))
    # Someone else's booking is not there for them.
    assert post(other, moved_path, {"start": z(at(4, 13)), "reason": "Mine?"}).status_code == 404
    cancel_path = f"/api/me/bookings/{free.json()['id']}/cancel"
    assert post(other, cancel_path, {"reason": "No."}).status_code == 404
    cancelled = post(client, cancel_path, {"reason": "Plans changed."})
    assert cancelled.json()["status"] == "cancelled"
    assert Booking.objects.get(pk=free.json()["id"]).status == "cancelled"


def test_a_package_is_booked_session_by_session(bookable: Bookable, mentee: User) -> None:
    client = token_client(mentee)
    first = post(
        client, "/api/bookings", {"offering_id": bookable.package.pk, "start": z(at(3, 10))}
    )
    engagement = first.json()["engagement_id"]
    domain.confirm_booking(first.json()["id"])  # as payments will
    path = f"/api/engagements/{engagement}/bookings"
    second = post(client, path, {"start": z(at(10, 10))}, **{"Idempotency-Key": "next-1"})
    assert (second.status_code, second.json()["credits_left"]) == (201, 1)
    assert (
        token_client(bookable.mentor)
        .post(path, json.dumps({"start": z(at(11, 10))}), content_type="application/json")
        .status_code
        == 404
    )


def test_booking_needs_a_caller(bookable: Bookable) -> None:
    response = post(
        Client(), "/api/bookings", {"offering_id": bookable.hour.pk, "start": z(at(3, 10))}
    )
    assert response.status_code == 401


def test_a_caller_with_policies_to_accept_books_nothing(bookable: Bookable, mentee: User) -> None:
    client = token_client(mentee)
    publish(PolicyKind.TERMS)
    response = post(client, "/api/bookings", {"offering_id": bookable.half_hour.pk,
                                              "start": z(at(3, 10))})  # fmt: skip
    assert response.status_code == 403
    assert "Accept the policies" in response.json()["detail"]
    assert not Booking.objects.exists()


def test_listing_bookings_costs_the_same_for_one_and_three(
    bookable: Bookable, mentee: User
) -> None:
    client = token_client(mentee)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/me/bookings").status_code == 200
        return len(captured)

    queries()  # the token's first use is noted once
    domain.book(bookable.half_hour, mentee, at(3, 10))
    one = queries()
    domain.book(bookable.half_hour, mentee, at(4, 10))
    domain.book(bookable.package, mentee, at(5, 10))
    assert queries() == one
    assert [b["credits_left"] for b in client.get("/api/me/bookings").json()] == [0, 0, 2]
