"""The same call with the two people served by two server processes that share Redis (the
channel layer that relays signalling between processes) and the database."""

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from mentor247.accounts.models import User
from mentor247.bookings.tests.conftest import Bookable, make_bookable
from mentor247.conftest import Visitor, _visitor, free_port, redis_url
from mentor247.rooms.domain import room_for
from mentor247.rooms.models import ChatMessage
from mentor247.rooms.tests.conftest import session_now
from mentor247.rooms.tests.test_call_browser import wait_for_frames

ROOT = Path(__file__).resolve().parents[3]


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
    ports = (free_port(), free_port())
    servers = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "mentor247.asgi:application"),
                *("--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"),
                *("--log-level", "warning"),
            ],
            cwd=ROOT,
            env=env,
        )
        for port in ports
    ]
    try:
        urls = tuple(f"http://127.0.0.1:{port}" for port in ports)
        for url in urls:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(url + "/", timeout=2):  # noqa: S310
                        break
                except OSError:
                    assert time.monotonic() < deadline, f"{url} did not answer"
                    time.sleep(0.2)
        yield urls[0], urls[1]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)


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
