"""The WebSockets over the Redis channel layer as production configures it (settings'
redis_channel_layer), on the tests' own Redis: a quiet socket stays up well past the layer's
5-second blocking reads, and still carries messages afterwards."""

import json
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.sync.client import connect
from websockets.typing import Origin

from mentor247.accounts.models import User
from mentor247.bookings.tests.conftest import Bookable, make_bookable
from mentor247.conftest import redis_url
from mentor247.rooms.domain import room_for
from mentor247.rooms.tests.conftest import session_now
from mentor247.rooms.tests.test_signalling import Sockets, cookie_of, join, receive, send
from mentor247.settings import redis_channel_layer

# Six of channels_redis's blocking reads of 5 seconds.
IDLE_SECONDS = 30


class Errors(logging.Handler):
    """What the ASGI server logs at ERROR or above (an exception out of a consumer)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def server_errors() -> Iterator[Errors]:
    errors = Errors()
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(errors)
    try:
        yield errors
    finally:
        logger.removeHandler(errors)


@pytest.fixture
def redis_layer(settings: Any) -> None:
    settings.CHANNEL_LAYERS = {
        "default": redis_channel_layer(redis_url(), prefix=f"test-{uuid.uuid4().hex}")
    }


@pytest.fixture
def bookable(transactional_db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def test_quiet_room_and_tech_check_sockets_stay_up_over_redis(
    redis_layer: None,
    asgi_server: str,
    server_errors: Errors,
    bookable: Bookable,
    mentee: User,
    settings: Any,
) -> None:
    settings.TECHCHECK_SECONDS = IDLE_SECONDS + 30
    booking = session_now(bookable.hour, mentee)
    key = room_for(booking).key
    sockets = Sockets(asgi_server)
    tech_check = connect(
        asgi_server.replace("http://", "ws://") + "/ws/tech-check/",
        origin=Origin(asgi_server),
        additional_headers={"Cookie": cookie_of(mentee)},
        open_timeout=5,
    )
    with (
        sockets.open(key, bookable.mentor) as mentor_ws,
        sockets.open(key, mentee) as mentee_ws,
        tech_check,
    ):
        assert join(mentor_ws)["type"] == "joined"
        assert join(mentee_ws)["type"] == "joined"
        assert receive(mentor_ws)["event"] == "joined"
        assert json.loads(tech_check.recv(timeout=5))["type"] == "hello"

        time.sleep(IDLE_SECONDS)

        send(mentee_ws, {"type": "chat", "text": "Still there?"})
        for ws in (mentee_ws, mentor_ws):
            message = receive(ws)
            assert (message["type"], message["line"]["text"]) == ("chat", "Still there?")
        send(mentor_ws, {"type": "camera", "on": False})
        assert receive(mentee_ws) == {"type": "camera", "on": False}
        # The tech check still reads what it is sent (and refuses what is not an offer).
        tech_check.send("not an offer")
        assert json.loads(tech_check.recv(timeout=5)) == {"type": "error", "code": "bad-offer"}
    assert server_errors.messages == []
