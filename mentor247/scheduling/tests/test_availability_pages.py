"""The availability editor and its preview, through the test client."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mentor247.accounts.models import User
from mentor247.conftest import logged_in
from mentor247.scheduling.models import Availability

pytestmark = pytest.mark.django_db

URL = "/mentor/availability/"


def week(**days: str) -> dict[str, str]:
    form = {f"day_{number}": "" for number in range(7)}
    form.update(days)
    form.update(
        buffer_before="10",
        buffer_after="5",
        notice_hours="2",
        horizon_days="30",
        max_per_day="",
        slot_grid="60",
        overrides="2026-12-15: off\n2026-12-16: 18:00-19:00",
        travel="",
    )
    return form


def test_a_mentor_saves_the_week_and_sees_it_as_a_mentee_elsewhere(mentor: User) -> None:
    assert reverse("mentor:availability") == URL
    with time_machine.travel(datetime(2026, 12, 14, 6, 0, tzinfo=UTC), tick=False):
        client = logged_in(mentor)
        response = client.post(URL, week(day_0="09:00-11:00", day_1="09:00-10:00, 14:00-15:00"))
        assert response.status_code == 302
        assert response["Location"] == "/mentor/availability/?zone=Asia/Kolkata"
        page = client.get(URL, {"zone": "Asia/Kolkata"}).content.decode()
    availability = Availability.objects.get(profile=mentor.mentor_profile)
    assert availability.weekly_hours[1] == [[540, 600], [840, 900]]
    assert (availability.buffer_before, availability.minimum_notice) == (10, 120)
    # London 09:00 and 10:00 on Monday the 14th are 14:30 and 15:30 in Kolkata; Tuesday the
    # 15th is off; on Wednesday the 16th the hours are 18:00-19:00 London, 23:30 in Kolkata.
    assert "in Asia/Kolkata" in page
    assert page.index("Monday 14 December") < page.index("14:30") < page.index("15:30")
    assert "Tuesday 15 December" not in page
    assert page.index("Wednesday 16 December") < page.index("23:30")
    assert page.index("Monday 21 December") < page.index('datetime="2026-12-21T09:00:00+00:00"')


def test_hours_that_cannot_be_read_are_refused_and_nothing_changes(mentor: User) -> None:
    client = logged_in(mentor)
    response = client.post(URL, week(day_0="nine to five"))
    assert response.status_code == 400
    assert "Write hours like 09:00-12:00, 14:00-17:30." in response.content.decode()
    response = client.post(URL, week(day_0="09:00-12:00, 11:00-13:00"))
    assert response.status_code == 400
    assert "must not overlap" in response.content.decode()
    response = client.post(URL, {**week(), "travel": "2026-12-01 to 2026-12-05: Mars/Base"})
    assert "is not a time zone we know" in response.content.decode()
    assert not Availability.objects.exists()


def test_the_editor_is_for_approved_mentors_only(mentee: User) -> None:
    assert logged_in(mentee).get(URL).status_code == 404
    assert Client().get(URL).status_code == 302  # to log in
