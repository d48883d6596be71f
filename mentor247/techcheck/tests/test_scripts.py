"""What the room's and the tech check's scripts are given: one quality table, the one the
verdict judges by, and the texts they show, in the viewer's language, the same way on both
pages; and the shared quality module judging by the table the page carries."""

import json
import re
from typing import Any

import pytest

from mentor247.accounts.models import User
from mentor247.bookings.tests.conftest import Bookable, make_bookable
from mentor247.conftest import Visitor, logged_in
from mentor247.rooms.domain import room_for
from mentor247.rooms.tests.conftest import session_now
from mentor247.techcheck import verdict

TABLE = {
    "delay_ms": {"good_below": 150, "bad_above": 400},
    "loss_percent": {"good_below": 2.0, "bad_above": 8.0},
    "throughput_kbps": {"good_from": 1500, "bad_below": 500},
    "microphone_heard_from": 0.01,
}


def data_of(page: str, element_id: str) -> Any:
    """The JSON of the page's `<script id=element_id type="application/json">`."""
    found = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', page, re.S
    )
    assert found, f"no {element_id} on the page"
    return json.loads(found.group(1))


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.fixture
def room_path(bookable: Bookable, mentee: User) -> str:
    return f"/rooms/{room_for(session_now(bookable.hour, mentee)).key}/"


def test_quality_table_is_the_one_the_verdict_judges_by() -> None:
    assert verdict.thresholds() == TABLE
    assert verdict.rtt_level(149) == verdict.Level.GOOD
    assert verdict.rtt_level(150) == verdict.Level.WARNING


def test_both_pages_carry_the_quality_table(mentee: User, room_path: str) -> None:
    client = logged_in(mentee)
    room = client.get(room_path).content.decode()
    check = client.get("/tech-check/").content.decode()
    assert data_of(room, "quality-thresholds") == TABLE
    assert data_of(check, "quality-thresholds") == TABLE


def test_pages_follow_the_verdicts_table_when_it_changes(
    mentee: User, room_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verdict, "RTT_GOOD_BELOW_MS", 100)
    monkeypatch.setattr(verdict, "MICROPHONE_HEARD_FROM", 0.02)
    client = logged_in(mentee)
    for path in (room_path, "/tech-check/"):
        table = data_of(client.get(path).content.decode(), "quality-thresholds")
        assert (table["delay_ms"]["good_below"], table["microphone_heard_from"]) == (100, 0.02)


def test_both_pages_give_their_scripts_texts_the_same_way(mentee: User, room_path: str) -> None:
    mentee.language = "es"
    mentee.save(update_fields=["language"])
    client = logged_in(mentee)
    room = data_of(client.get(room_path).content.decode(), "room-strings")
    check_page = client.get("/tech-check/").content.decode()
    check = data_of(check_page, "techcheck-strings")
    assert room["camera_n"] == check["camera_n"] == "Cámara %(n)s"
    assert room["microphone_n"] == check["microphone_n"] == "Micrófono %(n)s"
    assert check["percent"] == "%(value)s %%"
    assert check["camera_denied"] == str(verdict.ADVICE["camera_denied"])
    assert 'id="tc-texts"' not in check_page


# The shared quality module, in the browser ----------------------------------------------------

LEVELS = """async (figures) => {
  const quality = await import("/static/media/quality.js");
  return figures.map(([delayMs, lossPercent]) => quality.levelOf({ delayMs, lossPercent }));
}"""


@pytest.mark.django_db(transaction=True)
def test_quality_module_judges_by_the_table_the_page_carries(
    visitor: Visitor, mentee: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    visitor.log_in(mentee.email)
    visitor.goto("/tech-check/")
    figures = [[0, 0], [149, 1.9], [150, 0], [0, 2], [400, 8], [401, 0], [0, 8.1]]
    assert visitor.page.evaluate(LEVELS, figures) == [
        "good",
        "good",
        "warning",
        "warning",
        "warning",
        "bad",
        "bad",
    ]
    # The page is served the verdict's numbers as they are now; the module reads them.
    monkeypatch.setattr(verdict, "RTT_GOOD_BELOW_MS", 100)
    visitor.goto("/tech-check/?again")
    assert visitor.page.evaluate(LEVELS, [[99, 0], [100, 0]]) == ["good", "warning"]


@pytest.mark.django_db(transaction=True)
def test_room_judges_its_round_trip_as_two_delays(visitor: Visitor, mentee: User) -> None:
    """The room measures the round trip between the two browsers, twice the delay the table
    is in; the tech check's round trip to our server stands for that delay itself."""
    booking = session_now(make_bookable("max.mentor@example.com").hour, mentee)
    visitor.log_in(mentee.email)
    visitor.goto(f"/rooms/{room_for(booking).key}/")
    levels = visitor.page.evaluate(
        """async (samples) => {
          const stats = await import("/static/rooms/stats.js");
          return samples.map(([rtt, loss]) => stats.callLevel(rtt, loss));
        }""",
        [[0.299, 0], [0.3, 0], [0.8, 0], [0.801, 0], [0.1, 8.5]],
    )
    assert levels == ["good", "fair", "fair", "poor", "poor"]
