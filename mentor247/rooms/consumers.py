"""Signalling of a room's call over a WebSocket: it admits the booking's two people only,
relays their WebRTC offers, answers and ICE candidates to each other without keeping them,
carries the chat (kept, encrypted) and the camera state (recorded), and disconnects someone
whose standing ends (rooms.domain.standing) within ROOMS_RECHECK_SECONDS.

Messages from the browser are JSON objects with a "type": join, signal, chat, camera, stats,
ping, leave (rooms.frames reads them: any other frame, or a field of the wrong kind, is
answered with an error and changes nothing; an unknown type is ignored). The server sends:
joined, refused, peer (joined/left), signal, chat, camera, ended, agenda, wrap_up, pong (to a
ping: a page that hears nothing for a while takes its socket for dead, as after a network
change, and opens another), error. Chat and camera switches are rate-limited per person and
room (rooms.limits).
"""

import asyncio
import contextlib
import logging
import weakref
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from mentor247.rooms import browsers, domain, rules
from mentor247.rooms.access import find_room
from mentor247.rooms.frames import BadFrame, read_frame
from mentor247.rooms.models import Attendance, Room
from mentor247.rooms.quality import Samples
from mentor247.rooms.queries import others_present
from mentor247.rooms.turn import ice_servers

logger = logging.getLogger(__name__)
REFUSED = 4403  # closing codes the page understands
ENDED = 4410
REPLACED = 4409


def group_of(room_id: int) -> str:
    return f"room-{room_id}"


class RoomConsumer(AsyncJsonWebsocketConsumer):
    room: Room
    attendance: Attendance | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        room = await database_sync_to_async(find_room)(
            user, self.scope["url_route"]["kwargs"]["key"]
        )
        if room is None:
            await self.close()  # before accepting: the handshake is refused (HTTP 403)
            return
        self.room = room
        self.user = user
        self.samples = Samples()
        self.device = browsers.device_type(browsers.asgi_headers(self.scope.get("headers", [])))
        self.group = group_of(room.pk)
        translation.activate(getattr(user, "language", settings.LANGUAGE_CODE))
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            content = read_frame(text_data)
        except BadFrame as bad:
            await self.error(bad.message)
            return
        await self.receive_json(content)

    async def error(self, message: str) -> None:
        await self.send_json({"type": "error", "message": message})

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content.get("type")
        if kind == "join":
            await self.join(content)
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        elif self.attendance is None:
            return  # nothing but joining before one has joined
        elif kind == "signal":
            if not isinstance(content.get("data"), dict):
                await self.error(_("A signal carries an object."))
                return
            await self.to_others("room.signal", {"data": content["data"], "client": self.client})
        elif kind == "chat":
            if not isinstance(content.get("text"), str):
                await self.error(_("A chat message is text."))
                return
            await self.chat(content["text"])
        elif kind == "camera":
            on = content.get("on")
            if not isinstance(on, bool):
                await self.error(_("Say whether the camera is on (true or false)."))
                return
            try:
                await database_sync_to_async(domain.camera_changed)(self.attendance, on)
            except ValidationError as error:
                await self.error(error.messages[0])
                return
            await self.to_others("room.camera", {"on": on})
        elif kind == "stats" and isinstance(content.get("sample"), dict):
            self.samples.add(content["sample"])
        elif kind == "leave":
            await self.end_stay(deliberate=True)
            await self.close()

    async def join(self, content: dict[str, Any]) -> None:
        if self.attendance is not None:
            return
        booking = self.room.booking
        try:
            entry = await database_sync_to_async(domain.enter)(
                booking,
                self.user,
                device=self.device,
                camera_on=content.get("camera") is True,
                checklist=content.get("checklist") is True,
                channel=self.channel_name,
            )
        except domain.Refused as refused:
            await self.send_json(
                {"type": "refused", "reason": refused.reason, "message": refused.message}
            )
            await self.close(code=REFUSED)
            return
        except ValidationError as error:
            await self.send_json(
                {"type": "refused", "reason": error.code, "message": error.messages[0]}
            )
            await self.close(code=REFUSED)
            return
        self.attendance = entry.attendance
        # The page's own id for its peer connection, passed on so the other side knows
        # whether this is a new connection or the same one back on a new socket.
        client = content.get("client")
        self.client = client[:64] if isinstance(client, str) else ""
        for channel in entry.replaced:
            await self.channel_layer.send(channel, {"type": "room.replaced"})
        await self.channel_layer.group_add(self.group, self.channel_name)
        others = await database_sync_to_async(others_present)(self.room, self.user.pk)
        servers = await database_sync_to_async(ice_servers)(booking, self.user)
        await self.send_json(
            {
                "type": "joined",
                "polite": self.user.pk == booking.mentee_id,
                "peer_present": others,
                "ice_servers": servers,
                "ends_at": booking.ends_at.isoformat(),
                "closes_at": rules.closes_at(booking.ends_at).isoformat(),
                "warning": entry.warning,
            }
        )
        await self.to_others("room.peer", {"event": "joined", "client": self.client})
        watch_of_this_loop().add(self)

    async def chat(self, text: str) -> None:
        try:
            message = await database_sync_to_async(domain.post_chat)(self.room, self.user, text)
        except ValidationError as error:
            await self.error(error.messages[0])
            return
        line = await database_sync_to_async(domain.chat_line)(message)
        await self.channel_layer.group_send(self.group, {"type": "room.chat", "line": line})

    def presence(self) -> domain.Presence:
        return domain.Presence(
            user_id=self.user.pk,
            session_key=getattr(self.scope.get("session"), "session_key", None),
            booking_id=self.room.booking_id,
        )

    async def must_leave(self, reason: str) -> None:
        """Ends the stay for a reason of rooms.domain.LEAVE_REASONS, told to the person."""
        with translation.override(getattr(self.user, "language", settings.LANGUAGE_CODE)):
            message = str(domain.LEAVE_REASONS[reason])
        await self.send_json({"type": "ended", "reason": reason, "message": message})
        await self.end_stay(deliberate=True)
        await self.close(code=ENDED)

    async def to_others(self, kind: str, event: dict[str, Any]) -> None:
        await self.channel_layer.group_send(
            self.group, {**event, "type": kind, "sender": self.channel_name}
        )

    async def end_stay(self, *, deliberate: bool) -> None:
        if self.attendance is None:
            return
        attendance, self.attendance = self.attendance, None
        watch_of_this_loop().discard(self)
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await database_sync_to_async(domain.leave)(attendance, self.samples.summary())
        await self.to_others("room.peer", {"event": "left", "deliberate": deliberate})

    async def disconnect(self, code: int) -> None:
        with contextlib.suppress(AttributeError):
            await self.end_stay(deliberate=False)

    # Events from the channel layer -----------------------------------------------------------

    async def room_signal(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.channel_name:
            await self.send_json(
                {"type": "signal", "data": event["data"], "client": event.get("client", "")}
            )

    async def room_peer(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.channel_name:
            await self.send_json(
                {
                    "type": "peer",
                    "event": event["event"],
                    "client": event.get("client", ""),
                    "deliberate": event.get("deliberate", False),
                }
            )

    async def room_camera(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.channel_name:
            await self.send_json({"type": "camera", "on": event["on"]})

    async def room_chat(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "chat", "line": event["line"]})

    async def room_agenda(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "agenda", "covered": event["covered"]})

    async def room_wrap_up(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "wrap_up"})

    async def room_replaced(self, event: dict[str, Any]) -> None:
        """A newer socket of the same person took this one's place."""
        self.attendance = None  # its stay was ended by the newer one
        watch_of_this_loop().discard(self)
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.close(code=REPLACED)


class Watch:
    """Every ROOMS_RECHECK_SECONDS, checks the standing of everyone connected to rooms through
    this process (rooms.domain.standings, a few queries for all of them) and ends the stays
    of those who must leave."""

    def __init__(self) -> None:
        self.consumers: set[RoomConsumer] = set()
        self.task: asyncio.Task[None] | None = None

    def add(self, consumer: RoomConsumer) -> None:
        self.consumers.add(consumer)
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self.run())

    def discard(self, consumer: RoomConsumer) -> None:
        self.consumers.discard(consumer)

    async def run(self) -> None:
        while self.consumers:
            await asyncio.sleep(settings.ROOMS_RECHECK_SECONDS)
            watched = list(self.consumers)
            try:
                reasons = await database_sync_to_async(domain.standings)(
                    [consumer.presence() for consumer in watched]
                )
            except Exception:  # a database hiccup: try again next time
                logger.exception("checking who may stay in the rooms failed")
                continue
            leaving = [
                consumer.must_leave(reason)
                for consumer, reason in zip(watched, reasons, strict=True)
                if reason and consumer in self.consumers
            ]
            await asyncio.gather(*leaving, return_exceptions=True)


_watches: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Watch]" = (
    weakref.WeakKeyDictionary()
)


def watch_of_this_loop() -> Watch:
    loop = asyncio.get_running_loop()
    if loop not in _watches:
        _watches[loop] = Watch()
    return _watches[loop]
