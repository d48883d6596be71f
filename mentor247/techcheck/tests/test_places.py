"""How the network test's places are shared out: one test per person at a time, wherever it
runs, a few per person in a while, and places kept for newcomers so that a few accounts
testing over and over cannot hold them all."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from websockets.asyncio.client import ClientConnection

from mentor247.conftest import make_user
from mentor247.techcheck import consumers, places
from mentor247.techcheck.tests.test_network import _closed, _cookie, _next, _none_running, _open


def test_accounts_testing_over_and_over_leave_a_place_for_someone_new(
    asgi_server: str, settings: Any
) -> None:
    settings.TECHCHECK_MAX_PEERS = 4
    hogs = [_cookie(make_user(f"hog{number}@example.com")) for number in range(4)]
    newcomer = _cookie(make_user("new.comer@example.com"))

    async def run() -> tuple[list[str], str, list[str], str]:
        first = [await _open(asgi_server, cookie) for cookie in hogs]
        first_answers = [(await _next(socket))["type"] for socket in first]
        # Every place is in use: the newcomer waits for one like anyone else.
        turned_away = await _open(asgi_server, newcomer)
        while_full = (await _next(turned_away))["type"]
        await _closed(turned_away)
        for socket in first:
            await socket.close()
        assert _none_running()  # the server has let go of the places
        again: list[ClientConnection] = [await _open(asgi_server, cookie) for cookie in hogs]
        again_answers = [(await _next(socket))["type"] for socket in again]
        arriving = await _open(asgi_server, newcomer)
        newcomer_answer = (await _next(arriving))["type"]
        for socket in [*again, arriving]:
            await socket.close()
        return first_answers, while_full, again_answers, newcomer_answer

    first, while_full, again, newcomer_answer = asyncio.run(run())
    assert first == ["hello"] * 4
    assert while_full == "busy"
    assert again == ["hello"] * 3 + ["busy"]  # one of the four places is kept for newcomers
    assert newcomer_answer == "hello"
    assert _none_running()


def test_one_test_per_person_across_server_processes(
    mentee: Any, cache_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def run() -> tuple[bool, bool, bool]:
        place = await places.take_place(mentee.pk)
        assert place is not None
        # Another server process: its own places, the same cache.
        with monkeypatch.context() as elsewhere:
            elsewhere.setattr(places, "_taken", set())
            while_running = await places.take_place(mentee.pk)
        someone_else = await places.take_place(mentee.pk + 1)
        assert someone_else is not None
        await places.release_place(someone_else)
        await places.release_place(place)
        with monkeypatch.context() as elsewhere:
            elsewhere.setattr(places, "_taken", set())
            after = await places.take_place(mentee.pk)
            assert after is not None
            await places.release_place(after)
        return place is not None, while_running is None, after is not None

    assert asyncio.run(run()) == (True, True, True)
    assert places._taken == set()


def test_a_few_tests_per_person_in_a_while(mentee: Any) -> None:
    async def tests_granted(count: int) -> int:
        granted = 0
        for _ in range(count):
            place = await places.take_place(mentee.pk)
            if place is not None:
                granted += 1
                await places.release_place(place)
        return granted

    start = datetime(2030, 1, 1, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert asyncio.run(tests_granted(places.TESTS_PER_WINDOW + 2)) == places.TESTS_PER_WINDOW
        clock.shift(timedelta(seconds=places.WINDOW_SECONDS + 1))
        assert asyncio.run(tests_granted(1)) == 1


def test_a_test_refused_by_the_rules_is_told_busy(asgi_server: str, mentee: Any) -> None:
    cookie = _cookie(mentee)

    async def run() -> list[tuple[str, int | None]]:
        outcomes = []
        for _ in range(places.TESTS_PER_WINDOW + 1):
            socket = await _open(asgi_server, cookie)
            kind = (await _next(socket))["type"]
            if kind == "busy":
                code = await _closed(socket)
            else:
                await socket.close()
                code = socket.close_code
            assert _none_running()
            outcomes.append((kind, code))
        return outcomes

    outcomes = asyncio.run(run())
    assert outcomes[: places.TESTS_PER_WINDOW] == [("hello", 1000)] * places.TESTS_PER_WINDOW
    assert outcomes[-1] == ("busy", consumers.CLOSE_BUSY)
    assert _none_running()
