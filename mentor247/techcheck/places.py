"""Places for the tech check's network test, which holds a WebRTC peer on the server.

- Each server process serves at most TECHCHECK_MAX_PEERS tests at once.
- A person runs one test at a time across every process: a mark in the cache (Redis, shared
  by the processes, when configured) holds their place until the test ends.
- A person runs at most TESTS_PER_WINDOW tests in WINDOW_SECONDS.
- Someone who has already tested in the window cannot take the last places of a process
  (a quarter of them), which stay free for people who have not: a few accounts testing over
  and over cannot hold every place.

Tests that would break a rule are refused ("busy": the page asks to try again later).
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 600
TESTS_PER_WINDOW = 5

# The people whose test holds a place in this process.
_taken: set[int] = set()


@dataclass(frozen=True)
class Place:
    user_id: int
    token: str  # this test's own mark, so that ending it never frees another's


def kept_for_newcomers(capacity: int) -> int:
    return capacity // 4


def _mark_key(user_id: int) -> str:
    return f"techcheck:running:{user_id}"


def _count_key(user_id: int) -> str:
    return f"techcheck:tests:{user_id}"


async def take_place(user_id: int) -> Place | None:
    """A place for a test of `user_id`'s, or None when the rules above refuse one. The place
    is held until release_place; a mark left by a process that died expires on its own."""
    capacity = settings.TECHCHECK_MAX_PEERS
    if user_id in _taken or len(_taken) >= capacity:
        return None
    # Held at once, before waiting for the cache, so that tests starting meanwhile count it.
    _taken.add(user_id)
    place = Place(user_id=user_id, token=uuid.uuid4().hex)
    marked = granted = False
    try:
        marked = await cache.aadd(
            _mark_key(user_id), place.token, timeout=settings.TECHCHECK_SECONDS + 60
        )
        if not marked:
            return None  # running in another process
        tested = await cache.aget(_count_key(user_id), 0)
        repeat_room = capacity - kept_for_newcomers(capacity)
        if tested >= TESTS_PER_WINDOW or (tested and len(_taken) > repeat_room):
            return None
        await cache.aadd(_count_key(user_id), 0, timeout=WINDOW_SECONDS)
        try:
            await cache.aincr(_count_key(user_id))
        except ValueError:  # the window ended between the two calls
            await cache.aadd(_count_key(user_id), 1, timeout=WINDOW_SECONDS)
        granted = True
        return place
    finally:
        if not granted:  # refused, or failed on the way
            await _free(place, marked=marked)


async def release_place(place: Place) -> None:
    """Frees a place taken by take_place."""
    await _free(place, marked=True)


async def _free(place: Place, *, marked: bool) -> None:
    _taken.discard(place.user_id)
    if marked and await cache.aget(_mark_key(place.user_id)) == place.token:
        await cache.adelete(_mark_key(place.user_id))
