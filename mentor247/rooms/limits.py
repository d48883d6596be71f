"""How often one person may do something in one room: a burst over a few seconds and a
steady rate over minutes, counted in the cache (Redis, shared by every server process, when
configured) in fixed windows."""

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Rate:
    """At most `burst` in any window of `burst_seconds`, and `steady` per `steady_seconds`."""

    burst: int
    burst_seconds: int
    steady: int
    steady_seconds: int


# A conversation in the chat beside a call: a few lines at once, a few a minute on average.
CHAT = Rate(burst=10, burst_seconds=10, steady=60, steady_seconds=600)
# Camera switches: each reconnection of the page also reports the camera's state.
CAMERA = Rate(burst=6, burst_seconds=10, steady=40, steady_seconds=600)


def take(action: str, room_id: int, user_id: int, rate: Rate, *, now: float | None = None) -> bool:
    """Counts one `action` of the person in the room and says whether it is within `rate`.
    Refused attempts count too, so a sender who keeps trying stays refused until the window
    passes."""
    now = time.time() if now is None else now
    within = True
    for limit, seconds in ((rate.burst, rate.burst_seconds), (rate.steady, rate.steady_seconds)):
        window = int(now // seconds)
        key = f"rooms:rate:{action}:{room_id}:{user_id}:{seconds}:{window}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the window's key expired between the two calls
            cache.add(key, 1, timeout=seconds + 1)
            count = 1
        within = within and count <= limit
    return within
