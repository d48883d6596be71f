"""Signalling of the tech check's network test, over a WebSocket at ws/tech-check/.

Logged-in people only (the ASGI stack has already refused a foreign or missing Origin). The
server says hello with the ICE servers and the plan of the test (techcheck.peer.Plan); the
browser sends one offer, the server answers it from its own peer (techcheck.peer.EchoPeer) and
the browser measures over data channels. One test per socket; places are shared out by
techcheck.places (one running test per person, a few per person in a while, at most
TECHCHECK_MAX_PEERS per process with the last of them kept for newcomers; "busy" beyond); the
socket and its peer close after TECHCHECK_SECONDS, or when the browser goes. The offer and
answer are passed on, never kept or logged.

Messages, as JSON text:
  server: {"type": "hello", "iceServers": [...], "plan": {...}, "seconds": 30}
  browser: {"type": "offer", "sdp": "..."}
  server: {"type": "answer", "sdp": "..."}
  server: {"type": "busy"} | {"type": "error", "code": "bad-offer" | "timeout"}, then it closes.
"""

import asyncio
import contextlib
import json
import logging
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone

from mentor247.techcheck.ice import browser_ice_servers, server_stun_urls
from mentor247.techcheck.peer import MAX_OFFER_CHARS, PLAN, EchoPeer
from mentor247.techcheck.places import Place, release_place, take_place

logger = logging.getLogger(__name__)

# How long aiortc may take to answer (gathering its candidates, STUN included).
ANSWER_SECONDS = 10
CLOSE_BAD_REQUEST = 4400
CLOSE_BUSY = 4429
CLOSE_TIMEOUT = 4408


class TechCheckConsumer(AsyncWebsocketConsumer):
    place: Place | None = None
    peer: EchoPeer | None = None
    offered = False
    timer: "asyncio.Task[None] | None" = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        # However the consumer ends (closed, failed, cancelled), its peer goes with it.
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._end()

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()  # before accepting: the handshake is refused (403)
            return
        await self.accept()
        self.place = await take_place(user.pk)
        if self.place is None:
            await self._send({"type": "busy"})
            await self.close(CLOSE_BUSY)
            return
        self.timer = asyncio.create_task(self._expire(settings.TECHCHECK_SECONDS))
        await self._send(
            {
                "type": "hello",
                "iceServers": browser_ice_servers(user, now=timezone.now()),
                "plan": PLAN.as_json(),
                "seconds": settings.TECHCHECK_SECONDS,
            }
        )

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.place is None:
            return
        offer = _offer(text_data)
        if self.offered or offer is None:
            await self._refuse("bad-offer")
            return
        self.offered = True
        self.peer = EchoPeer(stun_urls=server_stun_urls())
        try:
            answer = await asyncio.wait_for(self.peer.answer(offer), ANSWER_SECONDS)
        except Exception:  # aiortc raises many kinds on an SDP it cannot use
            logger.info("tech check: no answer to an offer", exc_info=False)
            await self._refuse("bad-offer")
            return
        await self._send({"type": "answer", "sdp": answer})

    async def disconnect(self, code: int) -> None:
        await self._end()

    async def _expire(self, seconds: int) -> None:
        await asyncio.sleep(seconds)
        await self._refuse("timeout", code=CLOSE_TIMEOUT)

    async def _refuse(self, reason: str, *, code: int = CLOSE_BAD_REQUEST) -> None:
        with contextlib.suppress(Exception):  # the browser may be gone already
            await self._send({"type": "error", "code": reason})
            await self.close(code)
        await self._end()

    async def _end(self) -> None:
        """Frees the place and closes the peer; safe to call more than once."""
        place, self.place = self.place, None
        if place is not None:
            await release_place(place)
        if self.timer is not None and self.timer is not asyncio.current_task():
            self.timer.cancel()
        self.timer = None
        peer, self.peer = self.peer, None
        if peer is not None:
            await peer.close()

    async def _send(self, message: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(message))


def _offer(text: str | None) -> str | None:
    """The SDP of an offer message, or None if the message is not one."""
    if text is None or len(text) > MAX_OFFER_CHARS + 100:
        return None
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply to parse
        return None
    if not isinstance(message, dict) or message.get("type") != "offer":
        return None
    sdp = message.get("sdp")
    if not isinstance(sdp, str) or not sdp.startswith("v=0") or len(sdp) > MAX_OFFER_CHARS:
        return None
    # Data channels only: audio or video would have the server receive (and decode) media.
    media = [line for line in sdp.splitlines() if line.startswith("m=")]
    if not media or any(not line.startswith("m=application ") for line in media):
        return None
    return sdp
