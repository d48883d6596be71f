"""Whatever a browser sends over the room's or the tech check's WebSocket (any JSON, any size,
any nesting, binary, not JSON at all), the consumer answers or ignores it and goes on: never
an exception out of it. Through the whole ASGI application (Origin check, session login,
routing) with Channels' test communicator."""

import asyncio
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from mentor247.accounts.models import User
from mentor247.asgi import build_application
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, make_bookable
from mentor247.rooms import limits
from mentor247.rooms.domain import room_for
from mentor247.rooms.frames import MAX_DEPTH, MAX_MESSAGE, BadFrame, read_frame
from mentor247.rooms.tests.conftest import Communicator, session_now
from mentor247.rooms.tests.test_signalling import cookie_of
from mentor247.techcheck import places

HOST = "testserver"
KINDS = ["join", "signal", "chat", "camera", "stats", "ping", "leave", "offer", "answer", "x"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.text(st.characters(categories=["Cs", "Cc", "Lo"]))  # lone surrogates among them
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
# Objects shaped like the pages' messages, with any values in their fields.
messages = st.fixed_dictionaries(
    {"type": st.sampled_from(KINDS) | json_values},
    optional={
        name: json_values
        for name in ("data", "text", "on", "sample", "client", "camera", "checklist", "sdp")
    },
)


def nested(depth: int, *, inside: str = "1") -> str:
    return '{"type":"signal","data":' + '{"a":' * depth + inside + "}" * depth + "}"


def chat_of_size(size: int) -> str:
    return json.dumps({"type": "chat", "text": "x" * size})


texts = st.one_of(
    json_values.map(json.dumps),
    messages.map(json.dumps),
    st.integers(1, 40_000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(1, 20_000).map(nested),
    st.integers(0, 3 * MAX_MESSAGE).map(chat_of_size),
    st.text(),
    st.sampled_from(
        [
            '{"type": "stats", "sample": {"rtt_ms": NaN, "loss_percent": Infinity}}',
            '{"type": "chat", "text": "\\ud800"}',
            '{"type": "stats", "sample": {"local_candidate": ["host"]}}',
            "1" * 5000,  # more digits than Python turns into an int
            '{"type": "signal", "data": {"candidate": {"candidate": "a"}}}',
        ]
    ),
)
frames = texts.map(lambda text: ("text", text)) | st.binary(max_size=2048).map(
    lambda data: ("bytes", data)
)


def headers(user: User) -> list[tuple[bytes, bytes]]:
    return [
        (b"host", HOST.encode()),
        (b"origin", f"http://{HOST}".encode()),
        (b"cookie", cookie_of(user).encode()),
        (b"user-agent", b"Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0"),
    ]


async def send_frame(communicator: Communicator, frame: tuple[str, Any]) -> None:
    kind, data = frame
    if kind == "text":
        await communicator.send_frame(text=data)
    else:
        await communicator.send_frame(data=data)


def is_leave(frame: tuple[str, Any]) -> bool:
    try:
        content = json.loads(frame[1])
    except (ValueError, RecursionError, TypeError):
        return False
    return isinstance(content, dict) and content.get("type") == "leave"


@pytest.fixture
def bookable(transactional_db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.fixture
def booking(bookable: Bookable, mentee: User, settings: Any) -> Booking:
    settings.ALLOWED_HOSTS = [HOST]
    return session_now(bookable.hour, mentee)


def test_room_socket_survives_any_frame(
    booking: Booking, bookable: Bookable, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limits are tested on their own (test_limits); here every frame reaches its handler.
    roomy = limits.Rate(burst=10**6, burst_seconds=10, steady=10**6, steady_seconds=600)
    monkeypatch.setattr(limits, "CHAT", roomy)
    monkeypatch.setattr(limits, "CAMERA", roomy)
    application = build_application()
    path = f"/ws/rooms/{room_for(booking).key}/"
    mentor_headers = headers(bookable.mentor)

    async def exchange(frame: tuple[str, Any]) -> None:
        communicator = Communicator(application, path, mentor_headers)
        assert await communicator.connect()
        await communicator.send_frame(text='{"type": "join", "camera": true, "checklist": true}')
        assert (await communicator.receive_json())["type"] == "joined"
        await send_frame(communicator, frame)
        await communicator.send_frame(text='{"type": "ping"}')
        # Whatever comes first (an error, the chat line, ...), a pong follows: the socket
        # lives on. receive_output raises what the consumer raised, if it did.
        while True:
            output = await communicator.receive_output(timeout=5)
            if output["type"] == "websocket.close":
                assert is_leave(frame), output
                break
            if json.loads(output["text"]) == {"type": "pong"}:
                break
        await communicator.disconnect()

    @examples(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(frame=frames)
    def any_frame(frame: tuple[str, Any]) -> None:
        asyncio.run(exchange(frame))

    any_frame()


def test_tech_check_socket_survives_any_frame(
    transactional_db: None, mentee: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.ALLOWED_HOSTS = [HOST]
    monkeypatch.setattr(places, "TESTS_PER_WINDOW", 10**6)
    application = build_application()
    mentee_headers = headers(mentee)

    async def exchange(frame: tuple[str, Any]) -> None:
        communicator = Communicator(application, "/ws/tech-check/", mentee_headers)
        assert await communicator.connect()
        assert (await communicator.receive_json())["type"] == "hello"
        await send_frame(communicator, frame)
        # Not an offer: refused and closed. receive_output raises what the consumer raised.
        assert await communicator.receive_json() == {
            "type": "error",
            "code": "bad-offer",
        }
        assert (await communicator.receive_output(timeout=5))["type"] == "websocket.close"
        await communicator.disconnect()

    @examples(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(frame=frames)
    def any_frame(frame: tuple[str, Any]) -> None:
        asyncio.run(exchange(frame))

    any_frame()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "Messages are JSON text."),
        ("x" * (MAX_MESSAGE + 1), "This message is too large."),
        ("[" * 30_000 + "]" * 30_000, "This message is not valid JSON."),
        ('{"type": "stats", "sample": {"rtt_ms": NaN}}', "This message is not valid JSON."),
        ('["join"]', "A message is a JSON object with a type."),
        ('{"type": 1}', "A message is a JSON object with a type."),
        (nested(MAX_DEPTH), "This message is nested too deeply."),
        (
            '{"type": "chat", "text": "\\udfff"}',
            "This message holds text that is not valid Unicode",
        ),
    ],
)
def test_a_frame_that_is_not_a_message_is_refused_with_the_reason(
    text: str | None, message: str
) -> None:
    with pytest.raises(BadFrame) as refused:
        read_frame(text)
    assert refused.value.message.startswith(message)


def test_a_message_as_deep_as_allowed_is_read() -> None:
    assert read_frame(nested(MAX_DEPTH - 1))["type"] == "signal"
