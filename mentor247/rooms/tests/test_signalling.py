"""The room's WebSocket: who gets in, what is relayed and what is kept, and how a stay ends.
Through the whole ASGI application (Origin check, session authentication, routing)."""

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, make_bookable
from mentor247.conftest import make_user
from mentor247.lib import crypto
from mentor247.mentors.models import MentorProfile
from mentor247.policies.models import PolicyKind
from mentor247.rooms.domain import room_for
from mentor247.rooms.models import Attendance, CameraOff, ChatMessage, JoinAttempt
from mentor247.rooms.tests.conftest import session_now, wait_until

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
COMPUTER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/140.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _recheck_often(settings: Any) -> None:
    settings.ROOMS_RECHECK_SECONDS = 0.2


@pytest.fixture
def bookable(transactional_db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.fixture
def booking(bookable: Bookable, mentee: User, asgi_server: str) -> Booking:
    return session_now(bookable.hour, mentee)


def cookie_of(user: User) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


class Sockets:
    """Opens the room's WebSocket on the served application, as a browser would."""

    def __init__(self, server: str) -> None:
        self.base = server.replace("http://", "ws://")
        self.origin = server

    def open(
        self,
        key: str,
        user: User | None,
        *,
        origin: str | None = "",
        agent: str = COMPUTER,
    ) -> ClientConnection:
        headers = {"Cookie": cookie_of(user)} if user is not None else {}
        return connect(
            f"{self.base}/ws/rooms/{key}/",
            origin=Origin(self.origin if origin == "" else origin) if origin is not None else None,
            additional_headers=headers,
            user_agent_header=agent,
            open_timeout=5,
        )

    def refused(self, key: str, user: User | None, **options: Any) -> bool:
        try:
            with self.open(key, user, **options):
                pass
        except InvalidStatus as refusal:
            return refusal.response.status_code == 403
        return False


@pytest.fixture
def sockets(asgi_server: str) -> Sockets:
    return Sockets(asgi_server)


def send(ws: ClientConnection, message: dict[str, Any]) -> None:
    ws.send(json.dumps(message))


def receive(ws: ClientConnection, timeout: float = 5) -> dict[str, Any]:
    return json.loads(ws.recv(timeout=timeout))


def closed_with(ws: ClientConnection, timeout: float = 5) -> int:
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ws.recv(timeout=deadline - time.monotonic())
    except ConnectionClosed as closed:
        assert closed.rcvd is not None
        return closed.rcvd.code
    raise AssertionError("the socket stayed open")


def join(ws: ClientConnection, **fields: Any) -> dict[str, Any]:
    send(ws, {"type": "join", "camera": True, "checklist": True, **fields})
    return receive(ws)


def key_of(booking: Booking) -> str:
    return room_for(booking).key


def test_an_anonymous_socket_is_refused(booking: Booking, sockets: Sockets) -> None:
    assert sockets.refused(key_of(booking), None)


def test_a_foreign_or_missing_origin_is_refused(
    booking: Booking, sockets: Sockets, mentee: User
) -> None:
    assert sockets.refused(key_of(booking), mentee, origin="https://elsewhere.example")
    assert sockets.refused(key_of(booking), mentee, origin=None)
    # the same host, by another port or scheme
    port = int(sockets.origin.rsplit(":", 1)[1])
    assert sockets.refused(key_of(booking), mentee, origin=f"http://127.0.0.1:{port + 1}")
    assert sockets.refused(key_of(booking), mentee, origin=f"https://127.0.0.1:{port}")
    assert sockets.refused(key_of(booking), mentee, origin="https://127.0.0.1")
    assert not sockets.refused(key_of(booking), mentee)


def test_only_the_bookings_two_people_get_in(
    booking: Booking, bookable: Bookable, sockets: Sockets, stranger: User, staff: User
) -> None:
    other_mentee = make_user("olga.other@example.com")
    other_booking = session_now(bookable.package, other_mentee, starts_in=timedelta(hours=3))
    for user in (stranger, staff, other_mentee):
        assert sockets.refused(key_of(booking), user), user.email
    # and a participant of this booking does not get into the other one
    assert sockets.refused(key_of(other_booking), booking.mentee)
    assert sockets.refused("not-a-room", booking.mentee)
    assert not Attendance.objects.exists()


def test_signals_are_relayed_to_the_other_side_only_and_never_stored(
    booking: Booking, bookable: Bookable, sockets: Sockets, mentee: User
) -> None:
    key = key_of(booking)
    sdp = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\na=marker-sdp-5f2c\r\n"
    candidate = {"candidate": "candidate:1 1 udp 2122260223 192.0.2.7 54321 typ host marker-ice"}
    with sockets.open(key, bookable.mentor) as mentor_ws, sockets.open(key, mentee) as mentee_ws:
        mentor_joined = join(mentor_ws, client="page-1")
        assert mentor_joined["type"] == "joined"
        assert mentor_joined["polite"] is False
        assert mentor_joined["peer_present"] is False
        mentee_joined = join(mentee_ws, client="page-2")
        assert mentee_joined["polite"] is True
        assert mentee_joined["peer_present"] is True
        assert receive(mentor_ws) == {
            "type": "peer",
            "event": "joined",
            "client": "page-2",
            "deliberate": False,
        }
        send(mentee_ws, {"type": "camera", "on": True})
        assert receive(mentor_ws) == {"type": "camera", "on": True}
        offer = {"description": {"type": "offer", "sdp": sdp}}
        send(mentor_ws, {"type": "signal", "data": offer})
        send(mentor_ws, {"type": "signal", "data": {"candidate": candidate}})
        assert receive(mentee_ws) == {"type": "signal", "data": offer, "client": "page-1"}
        assert receive(mentee_ws) == {
            "type": "signal",
            "data": {"candidate": candidate},
            "client": "page-1",
        }
        with pytest.raises(TimeoutError):
            mentor_ws.recv(timeout=0.3)  # nothing comes back to the sender
        send(mentee_ws, {"type": "leave"})
        left = receive(mentor_ws)
        assert left["type"] == "peer" and left["event"] == "left" and left["deliberate"]
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            as_text = model._default_manager.annotate(
                stored_text=Cast(field.name, models.TextField())
            )
            for marker in ("marker-sdp", "marker-ice"):
                stored = as_text.filter(stored_text__contains=marker)
                assert not stored.exists(), f"{model.__name__}.{field.name} holds {marker}"
    wait_until(lambda: Attendance.objects.filter(left_at__isnull=True).count() == 0)
    assert Attendance.objects.filter(room__booking=booking).count() == 2


def test_chat_is_kept_encrypted_and_reaches_both(
    booking: Booking, bookable: Bookable, sockets: Sockets, mentee: User
) -> None:
    key = key_of(booking)
    with sockets.open(key, bookable.mentor) as mentor_ws, sockets.open(key, mentee) as mentee_ws:
        join(mentor_ws)
        join(mentee_ws)
        receive(mentor_ws)  # the mentee joined
        send(mentee_ws, {"type": "chat", "text": "  Hola, can you hear me?  "})
        for ws in (mentee_ws, mentor_ws):
            message = receive(ws)
            assert message["type"] == "chat"
            assert message["line"]["text"] == "Hola, can you hear me?"
            assert message["line"]["author"] == mentee.pk
        send(mentee_ws, {"type": "chat", "text": "x" * 2001})
        error = receive(mentee_ws)
        assert error["type"] == "error" and "2000" in error["message"]
    stored = ChatMessage.objects.get()
    assert "hear" not in stored.ciphertext
    assert crypto.decrypt(stored.ciphertext) == "Hola, can you hear me?"


def test_camera_off_and_the_connection_are_recorded(
    booking: Booking, sockets: Sockets, mentee: User
) -> None:
    with sockets.open(key_of(booking), mentee) as ws:
        join(ws)
        send(ws, {"type": "camera", "on": False})
        send(ws, {"type": "camera", "on": False})  # still one interval
        # Recorded before the pause starts, so the interval is at least the pause.
        wait_until(lambda: CameraOff.objects.exists())
        time.sleep(0.3)
        send(ws, {"type": "camera", "on": True})
        send(ws, {"type": "camera", "on": False})
        sample = {"rtt_ms": 12.5, "loss_percent": 0.5}
        send(ws, {"type": "stats", "sample": {**sample, "local_candidate": "host"}})
        send(ws, {"type": "stats", "sample": {"rtt_ms": 30, "loss_percent": 1.5}})
        send(ws, {"type": "stats", "sample": {"rtt_ms": "bad", "remote_candidate": "relay"}})
        time.sleep(0.2)
    wait_until(lambda: Attendance.objects.filter(left_at__isnull=False).exists())
    first, second = CameraOff.objects.order_by("started_at")
    assert first.ended_at is not None
    assert first.ended_at - first.started_at >= timedelta(seconds=0.3)
    stay = Attendance.objects.get()
    assert second.ended_at == stay.left_at  # closed when the stay ended
    assert stay.device == "computer"
    assert stay.connection["candidates"] == ["local:host", "remote:relay"]
    assert stay.connection["rtt_ms"] == {"p50": 12.5, "p95": 30.0, "max": 30.0}
    assert stay.connection["loss_percent"]["p95"] == 1.5


def test_a_mentor_cannot_enter_with_the_camera_off_or_without_the_checklist(
    booking: Booking, bookable: Bookable, sockets: Sockets
) -> None:
    key = key_of(booking)
    for fields, reason in (({"camera": False}, "camera_off"), ({"checklist": False}, "checklist")):
        with sockets.open(key, bookable.mentor) as ws:
            refused = join(ws, **fields)
            assert refused["type"] == "refused" and refused["reason"] == reason
            assert closed_with(ws) == 4403
    with sockets.open(key, bookable.mentor) as ws:
        assert join(ws)["type"] == "joined"
    attempts = list(JoinAttempt.objects.values_list("outcome", "reason"))
    assert attempts == [("refused", "camera_off"), ("refused", "checklist"), ("admitted", "")]
    assert Attendance.objects.count() == 1
    room = room_for(booking)
    assert room.mentor_joined_at is not None


def test_a_mentor_without_the_current_code_of_conduct_cannot_enter(
    booking: Booking, bookable: Bookable, sockets: Sockets
) -> None:
    from mentor247.policies.tests.test_policies import publish

    publish(PolicyKind.CONDUCT)
    with sockets.open(key_of(booking), bookable.mentor) as ws:
        refused = join(ws)
    assert refused["type"] == "refused" and refused["reason"] == "policy"
    assert JoinAttempt.objects.get().reason == "policy"
    assert not Attendance.objects.exists()


def test_a_mentor_on_a_phone_is_warned_or_refused_by_setting(
    booking: Booking, bookable: Bookable, sockets: Sockets, settings: Any
) -> None:
    key = key_of(booking)
    with sockets.open(key, bookable.mentor, agent=IPHONE) as ws:
        joined = join(ws)
        assert joined["type"] == "joined" and "phone" in joined["warning"]
    settings.ROOMS_REFUSE_MENTOR_PHONE = True
    with sockets.open(key, bookable.mentor, agent=IPHONE) as ws:
        refused = join(ws)
        assert refused["type"] == "refused" and refused["reason"] == "phone"
    attempts = list(JoinAttempt.objects.values_list("outcome", "reason", "device"))
    assert attempts == [("warned", "phone", "phone"), ("refused", "phone", "phone")]


def test_a_newer_socket_of_the_same_person_replaces_the_older(
    booking: Booking, sockets: Sockets, mentee: User
) -> None:
    key = key_of(booking)
    with sockets.open(key, mentee) as first, sockets.open(key, mentee) as second:
        join(first)
        join(second)
        assert closed_with(first) == 4409
    wait_until(lambda: not Attendance.objects.filter(left_at__isnull=True).exists())
    assert Attendance.objects.count() == 2


@pytest.mark.parametrize("ending", ["logged_out_everywhere", "deactivated", "suspended"])
def test_a_participant_whose_standing_ends_is_disconnected_within_10_seconds(
    booking: Booking, bookable: Bookable, sockets: Sockets, mentee: User, settings: Any, ending: str
) -> None:
    settings.ROOMS_RECHECK_SECONDS = 5  # the setting's default
    user = bookable.mentor if ending == "suspended" else mentee
    with sockets.open(key_of(booking), user) as ws:
        join(ws)
        if ending == "logged_out_everywhere":
            Session.objects.all().delete()
        elif ending == "deactivated":
            User.objects.filter(pk=user.pk).update(is_active=False)
        else:
            MentorProfile.objects.filter(user=user).update(status=MentorProfile.Status.SUSPENDED)
        started = time.monotonic()
        ended = receive(ws, timeout=10)
        assert ended["type"] == "ended"
        assert closed_with(ws) == 4410
        assert time.monotonic() - started < 10
    wait_until(lambda: Attendance.objects.get().left_at is not None)


def test_outside_the_rooms_time_the_door_is_shut(
    bookable: Bookable, mentee: User, sockets: Sockets
) -> None:
    later = session_now(bookable.hour, mentee, starts_in=timedelta(minutes=16))
    with sockets.open(key_of(later), mentee) as ws:
        refused = join(ws)
    assert refused["type"] == "refused" and refused["reason"] == "closed"


def test_a_message_too_large_is_refused(booking: Booking, sockets: Sockets, mentee: User) -> None:
    with sockets.open(key_of(booking), mentee) as ws:
        join(ws)
        send(ws, {"type": "signal", "data": "x" * 70_000})
        assert receive(ws)["type"] == "error"


def test_a_ping_is_answered_so_the_page_can_tell_a_live_socket_from_a_dead_one(
    booking: Booking, sockets: Sockets, mentee: User
) -> None:
    with sockets.open(key_of(booking), mentee) as ws:
        send(ws, {"type": "ping"})  # answered before joining too
        assert receive(ws) == {"type": "pong"}
        join(ws)
        send(ws, {"type": "ping"})
        assert receive(ws) == {"type": "pong"}


def test_a_mentor_back_after_a_dropped_socket_is_not_stopped_at_the_door_again(
    booking: Booking, bookable: Bookable, sockets: Sockets
) -> None:
    key = key_of(booking)
    with sockets.open(key, bookable.mentor) as ws:
        assert join(ws)["type"] == "joined"
        send(ws, {"type": "camera", "on": False})  # recorded, and then the socket drops
        time.sleep(0.2)
    wait_until(lambda: not Attendance.objects.filter(left_at__isnull=True).exists())
    with sockets.open(key, bookable.mentor) as ws:
        assert join(ws, camera=False, checklist=False)["type"] == "joined"
    assert CameraOff.objects.count() == 1
