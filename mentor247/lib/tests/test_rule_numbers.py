"""Pages, messages and API descriptions state the platform's rules (how long a time is held,
when a room opens and closes, until when a change is free) from where the rules are kept, so
changing a rule changes what people read."""

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.text import get_text_list

from mentor247.accounts.models import User
from mentor247.api import scheduling as api_scheduling
from mentor247.bookings import domain
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable, terms
from mentor247.conftest import logged_in
from mentor247.lib.tests.test_settings import run_manage
from mentor247.mentors import domain as mentors_domain
from mentor247.mentors import queries as mentor_queries
from mentor247.rooms import domain as rooms_domain
from mentor247.rooms import rules
from mentor247.scheduling import domain as scheduling_domain
from mentor247.scheduling import slots
from mentor247.scheduling.domain import AvailabilityTerms, BookingSettings

pytestmark = pytest.mark.django_db

DASH = "\N{EN DASH}"


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.fixture
def booking(bookable: Bookable, mentee: User) -> Booking:
    return domain.book(bookable.half_hour, mentee, at(3, 10))


@pytest.mark.parametrize("minutes", [10, 25])
def test_the_offering_page_says_how_long_a_time_is_held(
    bookable: Bookable, mentee: User, settings: Any, minutes: int
) -> None:
    settings.BOOKING_HOLD_MINUTES = minutes
    url = reverse("mentors:offering", args=[bookable.profile.pk, bookable.hour.pk])
    page = logged_in(mentee).get(url).content.decode()
    assert f"The time is held for you for {minutes} minutes while you pay" in page


@pytest.mark.parametrize("minutes", [15, 20])
def test_the_booking_page_says_when_the_room_opens(
    booking: Booking, mentee: User, monkeypatch: pytest.MonkeyPatch, minutes: int
) -> None:
    monkeypatch.setattr(rules, "OPENS_BEFORE", timedelta(minutes=minutes))
    page = logged_in(mentee).get(reverse("bookings:booking", args=[booking.pk])).content.decode()
    assert f"It opens {minutes} minutes before the start." in page


@pytest.mark.parametrize(("before", "after"), [(15, 30), (20, 45)])
def test_joining_a_closed_room_says_when_it_is_open(
    booking: Booking, mentee: User, monkeypatch: pytest.MonkeyPatch, before: int, after: int
) -> None:
    monkeypatch.setattr(rules, "OPENS_BEFORE", timedelta(minutes=before))
    monkeypatch.setattr(rules, "CLOSES_AFTER", timedelta(minutes=after))
    with pytest.raises(ValidationError) as refused:
        rooms_domain.record_join(booking, mentee)
    assert refused.value.messages == [
        f"The room is open from {before} minutes before the start to {after} minutes after the end."
    ]


@pytest.mark.parametrize("minutes", [30, 45])
def test_the_room_says_when_it_closes_after_the_end(
    booking: Booking, mentee: User, monkeypatch: pytest.MonkeyPatch, minutes: int
) -> None:
    monkeypatch.setattr(rules, "CLOSES_AFTER", timedelta(minutes=minutes))
    room = rooms_domain.room_for(booking)
    with time_machine.travel(booking.starts_at, tick=False):
        page = logged_in(mentee).get(reverse("rooms:room", args=[room.key])).content.decode()
    assert f"The room closes {minutes} minutes after the end." in page


@pytest.mark.parametrize(("minutes", "hours"), [(10, 24), (12, 36)])
def test_the_api_describes_holds_and_free_changes_by_the_settings(minutes: int, hours: int) -> None:
    # Operation descriptions are written when the API is built, so each pair of settings
    # gets a process of its own.
    paths = {"book": "/api/bookings", "move": "/api/me/bookings/{booking_id}/move"}
    script = (
        "import json; import mentor247.urls; from mentor247.api.api import api; "
        "paths = api.get_openapi_schema()['paths']; "
        f"print(json.dumps({{k: paths[v]['post']['description'] for k, v in {paths!r}.items()}}))"
    )
    done = run_manage(
        "shell",
        "-c",
        script,
        BOOKING_HOLD_MINUTES=str(minutes),
        BOOKING_FREE_CHANGE_HOURS=str(hours),
    )
    assert done.returncode == 0, done.stderr
    described = {
        name: " ".join(text.split())
        for name, text in json.loads(done.stdout.strip().splitlines()[-1]).items()
    }
    assert f"held for {minutes} minutes while the caller pays" in described["book"]
    assert f"the mentee until {hours} hours before it" in described["move"]


@pytest.mark.parametrize(
    ("grids", "said"), [((15, 30, 60), "15, 30 or 60"), ((10, 20), "10 or 20")]
)
def test_a_refused_slot_grid_names_the_grids_there_are(
    monkeypatch: pytest.MonkeyPatch, grids: tuple[int, ...], said: str
) -> None:
    monkeypatch.setattr(scheduling_domain, "GRIDS", grids)
    terms = AvailabilityTerms(weekly_hours=[[]] * 7, settings=BookingSettings(slot_grid=45))
    with pytest.raises(ValidationError) as refused:
        scheduling_domain.check_terms(terms)
    assert refused.value.message_dict["slot_grid"] == [f"Start times come every {said} minutes."]


def test_the_api_describes_the_slot_grids_there_are(client: Client) -> None:
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    grid = next(
        schema["properties"]["slot_grid"]
        for schema in schemas.values()
        if "slot_grid" in schema.get("properties", {})
    )
    said = get_text_list([str(minutes) for minutes in slots.GRIDS], "or")
    assert grid["description"] == f"Sessions start every {said} minutes."


@pytest.mark.parametrize("days", [92, 30])
def test_the_api_says_how_far_open_times_reach(
    bookable: Bookable, client: Client, monkeypatch: pytest.MonkeyPatch, days: int
) -> None:
    monkeypatch.setattr(api_scheduling, "MAX_RANGE", timedelta(days=days))
    start = at(1, 0)
    url = f"/api/mentors/{bookable.profile.pk}/offerings/{bookable.hour.pk}/open-times"
    query = {"start": start.isoformat(), "end": (start + timedelta(days=days + 1)).isoformat()}
    response = client.get(url, query)
    assert response.status_code == 400
    assert response.json()["detail"] == f"“end” must come after “start”, at most {days} days later."
    within = client.get(url, {**query, "end": (start + timedelta(days=days)).isoformat()})
    assert within.status_code == 200


def test_the_api_describes_how_far_open_times_reach(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    operation = paths["/api/mentors/{mentor_id}/offerings/{offering_id}/open-times"]["get"]
    assert f"(at most {api_scheduling.MAX_RANGE.days} days)" in " ".join(
        operation["description"].split()
    )


@pytest.mark.parametrize("minutes", [15, 20])
def test_a_room_not_open_yet_says_when_it_opens(
    booking: Booking, mentee: User, monkeypatch: pytest.MonkeyPatch, minutes: int
) -> None:
    monkeypatch.setattr(rules, "OPENS_BEFORE", timedelta(minutes=minutes))
    room = rooms_domain.room_for(booking)
    page = logged_in(mentee).get(reverse("rooms:room", args=[room.key])).content.decode()
    assert f"It opens {minutes} minutes before the start, at" in page


@pytest.mark.parametrize(
    ("choices", "said"), [((30, 45, 60, 90), "30, 45, 60 or 90"), ((20, 40), "20 or 40")]
)
def test_a_refused_session_length_names_the_lengths_there_are(
    bookable: Bookable, monkeypatch: pytest.MonkeyPatch, choices: tuple[int, ...], said: str
) -> None:
    monkeypatch.setattr(mentors_domain, "SESSION_MINUTES", choices)
    with pytest.raises(ValidationError) as refused:
        mentors_domain.add_offering(bookable.profile, terms("Odd", count=1, minutes=50, price=0))
    assert refused.value.message_dict["session_minutes"] == [f"A session lasts {said} minutes."]


@pytest.mark.parametrize(("hours", "said"), [(2, "2 hours"), (1, "1 hour")])
def test_the_directory_says_how_much_of_a_working_day_must_overlap(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch, hours: int, said: str
) -> None:
    monkeypatch.setattr(mentor_queries, "MIN_OVERLAP", timedelta(hours=hours))
    page = client.get(reverse("mentors:directory")).content.decode()
    fall = "fall" if hours > 1 else "falls"
    assert f"At least {said} of their 9:00{DASH}18:00 {fall} within yours in UTC." in page
