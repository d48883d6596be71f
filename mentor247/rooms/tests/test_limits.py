"""Rate limits of a person in a room: chat messages and camera switches beyond a burst, or
beyond the steady rate, are refused with an error frame and nothing is kept."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, make_bookable
from mentor247.rooms import domain, limits
from mentor247.rooms.models import CameraOff, ChatMessage
from mentor247.rooms.tests.conftest import session_now
from mentor247.rooms.tests.test_signalling import Sockets, join, key_of, receive, send


@pytest.fixture
def bookable(transactional_db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.fixture
def booking(bookable: Bookable, mentee: User, asgi_server: str) -> Booking:
    return session_now(bookable.hour, mentee)


@pytest.fixture
def sockets(asgi_server: str) -> Sockets:
    return Sockets(asgi_server)


def test_chat_beyond_the_burst_is_refused_and_not_kept(
    booking: Booking, bookable: Bookable, sockets: Sockets, mentee: User
) -> None:
    burst = limits.CHAT.burst
    key = key_of(booking)
    with sockets.open(key, bookable.mentor) as mentor_ws, sockets.open(key, mentee) as mentee_ws:
        join(mentor_ws)
        join(mentee_ws)
        receive(mentor_ws)  # the mentee joined
        for number in range(burst + 1):
            send(mentee_ws, {"type": "chat", "text": f"Line {number}"})
        answers = [receive(mentee_ws) for _ in range(burst + 1)]
        seen = [receive(mentor_ws)["line"]["text"] for _ in range(burst)]
    assert [answer["line"]["text"] for answer in answers[:burst]] == seen
    assert seen == [f"Line {number}" for number in range(burst)]
    assert answers[burst] == {
        "type": "error",
        "message": "You are sending messages too fast. Wait a few seconds and try again.",
    }
    assert ChatMessage.objects.count() == burst


def test_camera_switches_beyond_the_burst_are_refused_and_not_recorded(
    booking: Booking, bookable: Bookable, sockets: Sockets, mentee: User
) -> None:
    burst = limits.CAMERA.burst
    switches = [number % 2 == 1 for number in range(burst + 1)]  # off, on, off, ...
    key = key_of(booking)
    with sockets.open(key, bookable.mentor) as mentor_ws, sockets.open(key, mentee) as mentee_ws:
        join(mentor_ws)
        join(mentee_ws)
        receive(mentor_ws)  # the mentee joined
        for on in switches:
            send(mentee_ws, {"type": "camera", "on": on})
        refused = receive(mentee_ws)
        seen = [receive(mentor_ws) for _ in range(burst)]
        send(mentee_ws, {"type": "ping"})
        assert receive(mentee_ws) == {"type": "pong"}
        with pytest.raises(TimeoutError):
            mentor_ws.recv(timeout=0.3)  # the refused switch was not passed on
        intervals = list(CameraOff.objects.values_list("ended_at", flat=True))
    assert refused == {
        "type": "error",
        "message": "The camera was switched too often. Wait a few seconds and try again.",
    }
    assert seen == [{"type": "camera", "on": on} for on in switches[:burst]]
    # three off-and-on-again intervals; the last switch off was not recorded
    assert len(intervals) == burst // 2 and None not in intervals


def test_the_steady_rate_holds_across_bursts_per_person_and_room(
    bookable: Bookable, mentee: User
) -> None:
    booking = session_now(bookable.hour, mentee)
    room = domain.room_for(booking)
    rate = limits.CHAT
    # The start of one of the steady windows, so that the whole test falls within it.
    start = datetime.fromtimestamp(rate.steady_seconds * 3_155_760, tz=UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(rate.steady // rate.burst):
            for _ in range(rate.burst):
                domain.post_chat(room, mentee, "Hello")
            clock.shift(timedelta(seconds=rate.burst_seconds))
        with pytest.raises(ValidationError) as refused:
            domain.post_chat(room, mentee, "One more")
        assert refused.value.code == "rate"
        domain.post_chat(room, bookable.mentor, "The other person still writes")
        clock.shift(timedelta(seconds=rate.steady_seconds))
        domain.post_chat(room, mentee, "The next window")
    assert ChatMessage.objects.filter(author=mentee).count() == rate.steady + 1
