"""The call in two browser contexts with fake camera and microphone: a mentor and a mentee
reach the room, see each other, chat, go through the first session's points, survive a
dropped WebSocket, and end with the mentor's wrap-up."""

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, make_bookable
from mentor247.conftest import Outbox, Visitor, _visitor, message_text
from mentor247.lib.languages import Proficiency
from mentor247.rooms.domain import room_for
from mentor247.rooms.models import Attendance, CameraOff, ChatMessage, JoinAttempt, Room
from mentor247.rooms.tests.conftest import session_now, wait_until

FRAMES_ARRIVING = """(minimum) => {
  const video = document.getElementById("remote-video");
  return video.videoWidth > 0 && video.videoHeight > 0
    && video.getVideoPlaybackQuality().totalVideoFrames >= minimum;
}"""
FRAMES = (
    """() => document.getElementById("remote-video").getVideoPlaybackQuality().totalVideoFrames"""
)


@pytest.fixture
def mentee_visitor(chromium: Any, asgi_server: str) -> Iterator[Visitor]:
    yield from _visitor(chromium, asgi_server, locale="en-GB", timezone_id="America/New_York")


@pytest.fixture
def bookable(transactional_db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def wait_for_frames(visitor: Visitor, minimum: int) -> None:
    visitor.page.wait_for_function(FRAMES_ARRIVING, arg=minimum, timeout=15_000)


def into_the_call(mentor: Visitor, mentee_tab: Visitor, booking: Booking) -> None:
    """Both log in and enter the booking's room (the mentor through the checklist), and
    each sees the other's video."""
    path = f"/rooms/{room_for(booking).key}/"
    mentor.log_in(booking.mentor.user.email)
    mentor.goto(path)
    for box in mentor.page.query_selector_all("#checklist input"):
        box.check()
    mentor.page.click("#join")
    mentee_tab.log_in(booking.mentee.email)
    mentee_tab.goto(path)
    mentee_tab.page.click("#join")
    for tab in (mentor, mentee_tab):
        wait_for_frames(tab, 10)


def test_a_first_session_from_green_room_to_wrap_up(
    visitor: Visitor,
    mentee_visitor: Visitor,
    bookable: Bookable,
    mentee: User,
    smtp_outbox: Outbox,
) -> None:
    mentee.english_level = Proficiency.BASIC
    mentee.save()
    booking = session_now(
        bookable.package, mentee, starts_in=timedelta(minutes=10), first_mentoring=True
    )
    room = room_for(booking)
    path = f"/rooms/{room.key}/"

    # The mentor's green room: the checklist comes first.
    mentor = visitor
    mentor.log_in(bookable.mentor.email)
    mentor.goto(f"/bookings/{booking.pk}/")
    mentor.page.click("text=Go to the room")
    mentor.check()
    assert Visitor.path(mentor.page.url) == path
    page = mentor.page
    page.wait_for_function("() => document.getElementById('self-view').videoWidth > 0")
    assert "speak slowly" in page.inner_text(".room-side")
    green_room = page.inner_text("#green-room")
    assert "You have no tech check yet." in green_room
    assert "Mia Mentee has no tech check yet." in green_room
    agenda = page.inner_text("#agenda")
    assert "Topic 1" in agenda and "Topic 3" in agenda and "A next step." in agenda
    assert "first mentoring ever" in agenda
    page.click("#join")
    page.wait_for_selector("#door-message:not([hidden])")
    assert "checklist" in page.inner_text("#door-message")
    for box in page.query_selector_all("#checklist input"):
        box.check()
    page.click("#join")
    page.wait_for_selector("#call:not([hidden])")
    assert "Waiting for the other person" in page.inner_text("#remote-status")

    # The mentee joins from another browser, and a dropped socket of theirs is taken up again.
    sockets: list[Any] = []

    def through_proxy(route: Any) -> None:
        route.connect_to_server()
        sockets.append(route)

    mentee_visitor.page.route_web_socket(re.compile(r"/ws/rooms/"), through_proxy)
    mentee_visitor.log_in(mentee.email)
    mentee_visitor.goto(path)
    mentee_page = mentee_visitor.page
    assert "speak slowly" not in mentee_page.inner_text("main")
    assert "To cover:" in mentee_page.inner_text("#agenda-points")
    mentee_page.click("#join")
    mentee_page.wait_for_selector("#call:not([hidden])")
    wait_for_frames(mentor, 10)
    wait_for_frames(mentee_visitor, 10)
    # The quality indicator reads the connection's statistics.
    mentee_visitor.page.wait_for_selector("#quality[data-level='good']")
    assert "Time left" in mentee_visitor.page.inner_text("#remaining")
    for tab in (mentor, mentee_visitor):  # playing on its own, no play button needed
        assert not tab.page.evaluate("() => document.getElementById('remote-video').controls")
    mentor.screenshot("room-call-mentor")

    # Chat, both ways.
    mentee_page.fill("#chat-text", "Hello! Can you hear me?")
    mentee_page.press("#chat-text", "Enter")
    page.wait_for_selector("#chat-log li:has-text('Hello! Can you hear me?')")
    page.fill("#chat-text", "Loud and clear.")
    page.click("#chat-form button")
    mentee_page.wait_for_selector("#chat-log li:has-text('Loud and clear.')")
    assert ChatMessage.objects.filter(room=room).count() == 2

    # The mentor covers a point; the mentee sees it covered.
    page.check("#agenda input[value='on'] >> nth=0")
    mentee_page.wait_for_selector(
        "#agenda-points li[data-point='confidentiality'] .tick[data-covered='yes']"
    )
    assert Room.objects.get(pk=room.pk).covered == ["confidentiality"]

    # The mentor's camera goes off: the mentee is told, and it is recorded.
    page.click("#camera")
    mentee_page.wait_for_function(
        "() => document.getElementById('remote-status').textContent.includes('camera is off')"
    )
    assert "keep it on" in page.inner_text("#call-warning")
    mentor_stay = Attendance.objects.get(room=room, user=bookable.mentor)
    assert CameraOff.objects.filter(attendance=mentor_stay, ended_at__isnull=True).exists()
    page.click("#camera")
    mentee_page.wait_for_function(
        "() => !document.getElementById('remote-status').textContent.includes('camera is off')"
    )

    # The mentee's WebSocket drops; the call goes on and the socket comes back.
    frames_before = mentee_page.evaluate(FRAMES)
    sockets[-1].close(code=1006)
    mentee_page.wait_for_function(
        "() => document.getElementById('room').dataset.socketState === 'reconnecting'"
    )
    mentee_page.wait_for_function(
        "() => document.getElementById('room').dataset.socketState === 'open'", timeout=15_000
    )
    assert len(sockets) == 2
    wait_for_frames(mentee_visitor, frames_before + 30)
    mentee_page.fill("#chat-text", "Back again.")
    mentee_page.press("#chat-text", "Enter")
    page.wait_for_selector("#chat-log li:has-text('Back again.')")

    # The wrap-up reaches the mentee, with the package's next session a click away.
    page.fill("#id_action_items", "Write the one-page plan.\nAsk two colleagues for feedback.")
    page.fill("#id_next_step", "Next session: the first draft.")
    page.fill("#id_closing_words", "Well done today.")
    page.click("#wrap-up-form button[type=submit]")
    page.wait_for_selector("text=Sent to your mentee.")
    mentee_page.wait_for_selector("#wrap-up-shown:has-text('Ask two colleagues for feedback.')")
    next_link = mentee_page.get_attribute("#wrap-up-shown a.button", "href")
    assert next_link == f"/bookings/packages/{booking.engagement_id}/"
    wait_until(lambda: any("wrap-up" in m["Subject"] for m in smtp_outbox.messages))
    email = next(m for m in smtp_outbox.messages if "wrap-up" in m["Subject"])
    assert mentee.email in email["To"]
    body = message_text(email)
    assert f"/bookings/{booking.pk}/" in body
    assert "colleagues" not in body  # the session's words stay on the platform

    # The mentor shares a screen, then stops: the camera comes back.
    page.click("#share")
    page.wait_for_selector("#share[aria-pressed='true']")
    frames_sharing = mentee_page.evaluate(FRAMES)
    wait_for_frames(mentee_visitor, frames_sharing + 10)
    page.click("#share")
    page.wait_for_selector("#share[aria-pressed='false']")
    assert page.evaluate(
        "() => document.getElementById('local-video').srcObject.getVideoTracks()[0].label"
    ) == page.evaluate(
        "() => document.getElementById('self-view').srcObject.getVideoTracks()[0].label"
    )

    # The mentor's video stops arriving though the camera is on: the mentee is told so, and
    # not that the camera is off.
    page.evaluate("() => document.getElementById('self-view').srcObject.getVideoTracks()[0].stop()")
    mentee_page.wait_for_function(
        "() => document.getElementById('remote-status').textContent.includes('not arriving')"
    )

    mentee_page.click("#leave")
    page.wait_for_function(
        "() => document.getElementById('remote-status').textContent.includes('left the room')"
    )
    mentor.screenshot("room-after-leave-mentor")

    room.refresh_from_db()
    assert room.mentor_late_minutes == 0
    assert room.mentee_joined_at is not None
    assert JoinAttempt.objects.filter(room=room, user=bookable.mentor).count() == 2
    stays = Attendance.objects.filter(room=room, user=mentee).order_by("joined_at")
    assert stays.count() == 2  # before and after the dropped socket
    assert all(stay.device == "computer" for stay in stays)


# Keeps the page's peer connections within the test's reach (the page itself exposes none).
# fail() makes the newest one tell the page its ICE connection failed, as a network change
# would, while it goes on working.
KEEP_CONNECTIONS = """
const Native = window.RTCPeerConnection;
window.connections = [];
window.RTCPeerConnection = class extends Native {
  constructor(...args) { super(...args); window.connections.push(this); }
};
window.fail = () => {
  const pc = window.connections[window.connections.length - 1];
  Object.defineProperty(pc, "iceConnectionState", { value: "failed", configurable: true });
  pc.dispatchEvent(new Event("iceconnectionstatechange"));
  delete pc.iceConnectionState;
};
"""
REMOTE_UFRAG = """() => {
  const pc = window.connections[window.connections.length - 1];
  const sdp = pc.remoteDescription ? pc.remoteDescription.sdp : "";
  return (sdp.match(/a=ice-ufrag:(\\S+)/) || [])[1] || null;
}"""
SETTLED = """(ufrag) => {
  const pc = window.connections[window.connections.length - 1];
  const now = (pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/) || [])[1];
  return now !== ufrag && pc.signalingState === "stable" && pc.connectionState === "connected";
}"""


def test_both_sides_restarting_ice_at_once_keep_the_call(
    visitor: Visitor, mentee_visitor: Visitor, bookable: Bookable, mentee: User
) -> None:
    booking = session_now(bookable.hour, mentee, starts_in=timedelta(minutes=10))
    for tab in (visitor, mentee_visitor):
        tab.page.add_init_script(KEEP_CONNECTIONS)
    into_the_call(visitor, mentee_visitor, booking)
    tabs = (visitor, mentee_visitor)
    before = [tab.page.evaluate(REMOTE_UFRAG) for tab in tabs]
    # Both sides find the connection failed at once: the mentee's asks, the mentor's restarts.
    for tab in tabs:
        tab.page.evaluate("() => window.fail()")
    for tab, ufrag in zip(tabs, before, strict=True):
        tab.page.wait_for_function(SETTLED, arg=ufrag, timeout=15_000, polling=100)
    # The pictures go on moving on both sides, in the same call.
    for tab in tabs:
        wait_for_frames(tab, tab.page.evaluate(FRAMES) + 30)
    assert visitor.page.evaluate("() => window.connections.length") == 1


def test_a_page_the_room_no_longer_takes_back_ends_its_call(
    visitor: Visitor, mentee_visitor: Visitor, bookable: Bookable, mentee: User, settings: Any
) -> None:
    settings.ROOMS_RECHECK_SECONDS = 600  # the page finds out by itself, not from the room
    booking = session_now(bookable.hour, mentee, starts_in=timedelta(minutes=10))
    sockets: list[Any] = []

    def through_proxy(route: Any) -> None:
        route.connect_to_server()
        sockets.append(route)

    mentee_visitor.page.route_web_socket(re.compile(r"/ws/rooms/"), through_proxy)
    into_the_call(visitor, mentee_visitor, booking)

    # The mentee is logged out everywhere while their socket is down: the page cannot get
    # back in, asks the room's page why, and ends the call instead of trying for ever.
    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(mentee.pk):
            session.delete()
    sockets[-1].close(code=1006)
    mentee_visitor.page.wait_for_selector("#left-message:not([hidden])")
    assert "You left the room" in mentee_visitor.page.inner_text("#left-message")
    assert mentee_visitor.page.is_hidden("#call")
    assert visitor.page.is_visible("#call")  # the mentor's page is still in the room


# Keeps the page's sockets within the test's reach; while window.away is set, new ones are
# refused, as if the room were out of reach.
KEEP_SOCKETS = """
const NativeSocket = window.WebSocket;
window.sockets = [];
window.away = false;
window.WebSocket = class extends NativeSocket {
  constructor(url, ...rest) {
    super(window.away ? url.replace("/ws/rooms/", "/ws/nowhere/") : url, ...rest);
    window.sockets.push(this);
  }
};
"""


def test_a_mentee_back_after_the_mentor_gave_up_waiting_gets_a_new_call(
    visitor: Visitor, mentee_visitor: Visitor, bookable: Bookable, mentee: User
) -> None:
    booking = session_now(bookable.hour, mentee, starts_in=timedelta(minutes=10))
    room = room_for(booking)
    for tab in (visitor, mentee_visitor):
        tab.page.add_init_script(KEEP_CONNECTIONS)
    mentee_visitor.page.add_init_script(KEEP_SOCKETS)
    into_the_call(visitor, mentee_visitor, booking)

    # The mentee's socket drops and the platform stays out of reach for longer than the
    # mentor's page waits: it closes its side of the call.
    mentee_visitor.page.evaluate("() => { window.away = true; window.sockets.at(-1).close(); }")
    visitor.page.wait_for_function(
        "() => document.getElementById('remote-status').textContent.includes('left')",
        timeout=20_000,
    )
    assert mentee_visitor.page.is_visible("#call")  # still trying to come back
    # Back in reach: the mentee's page finds the mentor's new connection and takes it up.
    mentee_visitor.page.evaluate("() => { window.away = false; }")
    for tab in (visitor, mentee_visitor):
        tab.page.wait_for_function(
            "() => document.getElementById('room').dataset.connection === 'connected'"
        )
        wait_for_frames(tab, tab.page.evaluate(FRAMES) + 30)
    assert visitor.page.evaluate("() => window.connections.length") == 2
    assert Attendance.objects.filter(room=room, user=mentee, left_at__isnull=True).count() == 1
