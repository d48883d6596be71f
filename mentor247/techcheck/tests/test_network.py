"""The network test's WebSocket and the server's WebRTC peer, served by uvicorn with the whole
ASGI stack (Origin check, login session), with a real aiortc peer playing the browser."""

import asyncio
import json
import time

import pytest
from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from django.test import Client
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from mentor247.techcheck import consumers, places
from mentor247.techcheck.peer import MAX_ECHO_BYTES, PLAN, REPORT_EVERY

PATH = "/ws/tech-check/"
OWN_ORIGIN = Origin("")  # the default of _open: the server's own


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def _open(
    server: str, cookie: str | None, *, origin: Origin | None = OWN_ORIGIN
) -> ClientConnection:
    """The socket, opened from a page of the server's own origin unless `origin` says."""
    return await connect(
        server.replace("http", "ws", 1) + PATH,
        origin=Origin(server) if origin is OWN_ORIGIN else origin,
        additional_headers={"Cookie": cookie} if cookie else {},
        proxy=None,
        open_timeout=5,
    )


async def _next(socket: ClientConnection, timeout: float = 5) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), timeout))


async def _closed(socket: ClientConnection) -> int | None:
    await asyncio.wait_for(socket.wait_closed(), 5)
    return socket.close_code


def _none_running() -> bool:
    """Whether the server has let go of every test (it does so just after the socket closes)."""
    deadline = time.monotonic() + 5
    while places._taken and time.monotonic() < deadline:
        time.sleep(0.02)
    return places._taken == set()


def test_socket_refuses_anonymous_visitors(asgi_server):
    async def run():
        with pytest.raises(InvalidStatus) as refused:
            await _open(asgi_server, None)
        return refused.value.response.status_code

    assert asyncio.run(run()) == 403


def test_socket_refuses_a_foreign_or_missing_origin(asgi_server, mentee):
    cookie = _cookie(mentee)

    async def run():
        codes = []
        for origin in (Origin("https://evil.example"), None):
            with pytest.raises(InvalidStatus) as refused:
                await _open(asgi_server, cookie, origin=origin)
            codes.append(refused.value.response.status_code)
        return codes

    assert asyncio.run(run()) == [403, 403]


def test_socket_says_hello_with_the_plan_and_ice_servers(asgi_server, mentee, settings):
    settings.STUN_URLS = ["stun:stun.example.org:3478"]
    settings.TURN_URLS = ["turn:turn.example.org:3478?transport=udp"]
    settings.TURN_SECRET = "shared-with-coturn"
    cookie = _cookie(mentee)

    async def run():
        async with await _open(asgi_server, cookie) as socket:
            return await _next(socket)

    hello = asyncio.run(run())
    assert (hello["type"], hello["plan"], hello["seconds"]) == ("hello", PLAN.as_json(), 30)
    stun, turn = hello["iceServers"]
    assert stun == {"urls": ["stun:stun.example.org:3478"]}
    expires, user_id = turn["username"].split(":")
    assert user_id == str(mentee.pk)
    assert 0 < int(expires) - time.time() <= 600
    assert turn["credential"]
    assert _none_running()


def test_socket_takes_one_test_per_person_at_a_time(asgi_server, mentee):
    cookie = _cookie(mentee)

    async def run():
        async with await _open(asgi_server, cookie) as first:
            await _next(first)
            second = await _open(asgi_server, cookie)
            return await _next(second), await _closed(second)

    assert asyncio.run(run()) == ({"type": "busy"}, consumers.CLOSE_BUSY)
    assert _none_running()


@pytest.mark.parametrize(
    "message",
    [
        json.dumps({"type": "offer", "sdp": "hello"}),
        json.dumps({"type": "offer", "sdp": "v=0\r\n" + "a" * 40_000}),
        json.dumps({"type": "offer", "sdp": "v=0\r\nnot an offer"}),
        json.dumps({"type": "offer", "sdp": "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"}),
        json.dumps({"type": "answer", "sdp": "v=0"}),
        "not json",
    ],
)
def test_socket_refuses_what_is_not_an_offer(asgi_server, mentee, message):
    cookie = _cookie(mentee)

    async def run():
        socket = await _open(asgi_server, cookie)
        await _next(socket)
        await socket.send(message)
        return await _next(socket), await _closed(socket)

    assert asyncio.run(run()) == (
        {"type": "error", "code": "bad-offer"},
        consumers.CLOSE_BAD_REQUEST,
    )
    assert _none_running()


def test_socket_closes_when_its_time_is_up(asgi_server, mentee, settings):
    settings.TECHCHECK_SECONDS = 1
    cookie = _cookie(mentee)

    async def run():
        socket = await _open(asgi_server, cookie)
        hello = await _next(socket)
        return hello["seconds"], await _next(socket), await _closed(socket)

    assert asyncio.run(run()) == (
        1,
        {"type": "error", "code": "timeout"},
        consumers.CLOSE_TIMEOUT,
    )
    assert _none_running()


class Inbox:
    """Messages of a data channel, awaited one at a time."""

    def __init__(self, channel):
        self.queue: asyncio.Queue = asyncio.Queue()
        channel.on("message", self.queue.put_nowait)

    async def get(self, timeout: float = 5):
        return await asyncio.wait_for(self.queue.get(), timeout)


async def _until(check, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def test_server_peer_echoes_counts_and_closes_with_the_socket(asgi_server, mentee):
    """A real round trip: offer and answer over the socket, then the three channels as the
    page uses them; closing the socket closes the server's peer (the browser side sees its
    channels close)."""
    cookie = _cookie(mentee)

    async def run():
        socket = await _open(asgi_server, cookie)
        await _next(socket)
        browser = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        ping = browser.createDataChannel("ping")
        loss = browser.createDataChannel("loss", ordered=False, maxRetransmits=0)
        bulk = browser.createDataChannel("bulk")
        stray = browser.createDataChannel("stray")
        inboxes = {
            name: Inbox(channel)
            for name, channel in [("ping", ping), ("loss", loss), ("bulk", bulk)]
        }
        await browser.setLocalDescription(await browser.createOffer())
        await socket.send(json.dumps({"type": "offer", "sdp": browser.localDescription.sdp}))
        answer = await _next(socket, 15)
        assert answer["type"] == "answer"
        await browser.setRemoteDescription(RTCSessionDescription(answer["sdp"], "answer"))
        await _until(lambda: all(c.readyState == "open" for c in (ping, loss, bulk)))

        started = time.monotonic()
        ping.send("ping 0")
        echo = await inboxes["ping"].get()
        rtt_ms = (time.monotonic() - started) * 1000
        for index in range(10):
            loss.send(f"loss {index}")
        losses = {await inboxes["loss"].get() for _ in range(10)}
        chunk = bytes(16_384)
        for _ in range(10):
            bulk.send(chunk)
        bulk.send("end")
        reports: list[str] = []
        while not reports or reports[-1] != str(10 * len(chunk)):
            reports.append(await inboxes["bulk"].get())
        await _until(lambda: stray.readyState == "closed")
        # An echo larger than the bound closes that channel, and only that one.
        ping.send("x" * (MAX_ECHO_BYTES + 1))
        await _until(lambda: ping.readyState == "closed")
        assert loss.readyState == "open"

        await socket.close()
        await _until(lambda: bulk.readyState == "closed" and loss.readyState == "closed")
        await browser.close()
        return echo, rtt_ms, losses, reports

    echo, rtt_ms, losses, reports = asyncio.run(run())
    assert echo == "ping 0"
    assert 0 < rtt_ms < 1000
    assert losses == {f"loss {index}" for index in range(10)}
    assert reports == [str(n * REPORT_EVERY) for n in (1, 2)] + [str(163_840)]
    assert _none_running()
