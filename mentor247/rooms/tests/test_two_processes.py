"""The same call with the two people served by two server processes that share Redis (the
channel layer that relays signalling between processes) and the database, as configured from
REDIS_URL: the call stays up through a quiet spell longer than several of the layer's
5-second blocking reads, and relays afterwards."""

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from mentor247.accounts.models import User
from mentor247.bookings.tests.conftest import Bookable, make_bookable
from mentor247.conftest import Visitor, _visitor, redis_url, server_process
from mentor247.rooms.domain import room_for
from mentor247.rooms.models import ChatMessage
from mentor247.rooms.tests.conftest import session_now
from mentor247.rooms.tests.test_call_browser import wait_for_frames

# Nothing passes through the channel layer for this long: five of its blocking reads.
QUIET_SECONDS = 25


def database_url() -> str:
    """The test database, as the server processes reach it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgresql://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def two_servers(transactional_db: None, chromium: Any) -> Iterator[tuple[str, str]]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url(),
        "VAR_DIR": str(settings.VAR_DIR),
    }
    with server_process(env) as (first, _), server_process(env) as (second, _):
        yield first, second


@pytest.fixture
def bookable(transactional_db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def logged_in_visitor(chromium: Any, base_url: str, user: User) -> Iterator[Visitor]:
    client = Client()
    client.force_login(user)
    for visitor in _visitor(chromium, base_url, locale="en-GB", timezone_id="Europe/Madrid"):
        visitor.page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
        )
        yield visitor


def test_the_call_works_across_two_server_processes(
    chromium: Any, two_servers: tuple[str, str], bookable: Bookable, mentee: User
) -> None:
    booking = session_now(bookable.hour, mentee, starts_in=timedelta(minutes=10))
    path = f"/rooms/{room_for(booking).key}/"
    mentor_tabs = logged_in_visitor(chromium, two_servers[0], bookable.mentor)
    mentee_tabs = logged_in_visitor(chromium, two_servers[1], mentee)
    mentor, mentee_tab = next(mentor_tabs), next(mentee_tabs)
    opened: list[str] = []  # the sockets the two pages open, a reconnection included
    for tab in (mentor, mentee_tab):
        tab.page.on("websocket", lambda socket: opened.append(socket.url))
    try:
        mentor.goto(path)
        for box in mentor.page.query_selector_all("#checklist input"):
            box.check()
        mentor.page.click("#join")
        mentor.page.wait_for_selector("#call:not([hidden])")
        mentee_tab.goto(path)
        mentee_tab.page.click("#join")
        mentee_tab.page.wait_for_selector("#call:not([hidden])")
        wait_for_frames(mentor, 10)
        wait_for_frames(mentee_tab, 10)
        mentor.page.wait_for_timeout(QUIET_SECONDS * 1000)
        for tab in (mentor, mentee_tab):
            assert tab.page.get_attribute("#room", "data-socket-state") == "open"
        ws_path = path.replace("/rooms/", "/ws/rooms/")
        assert sorted(opened) == sorted(url.replace("http", "ws") + ws_path for url in two_servers)
        mentee_tab.page.fill("#chat-text", "Across processes.")
        mentee_tab.page.press("#chat-text", "Enter")
        mentor.page.wait_for_selector("#chat-log li:has-text('Across processes.')")
        mentor.page.click("#camera")
        mentee_tab.page.wait_for_function(
            "() => document.getElementById('remote-status').textContent.includes('camera is off')"
        )
        assert ChatMessage.objects.filter(room__booking=booking).count() == 1
    finally:
        for tabs in (mentor_tabs, mentee_tabs):
            for _ in tabs:
                pass
