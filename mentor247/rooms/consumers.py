"""Signalling of a room's call over a WebSocket: it admits the booking's two people only,
relays their WebRTC offers, answers and ICE candidates to each other without keeping them,
carries the chat (kept, encrypted) and the camera state (recorded), and disconnects someone
whose standing ends (rooms.domain.standing) within ROOMS_RECHECK_SECONDS.

Messages from the browser are JSON objects with a "type": join, signal, chat, camera, stats,
leave. The server sends: joined, refused, peer (joined/left), signal, chat, camera, ended,
agenda, wrap_up, error.
"""

import asyncio
import contextlib
import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from mentor247.rooms import devices, domain, rules
from mentor247.rooms.access import find_room
from mentor247.rooms.models import Attendance, Room
from mentor247.rooms.quality import Samples
from mentor247.rooms.turn import ice_servers

MAX_MESSAGE = 64 * 1024  # an SDP with many candidates stays well below this
REFUSED = 4403  # closing codes the page understands
ENDED = 4410
REPLACED = 4409


def group_of(room_id: int) -> str:
    return f"room-{room_id}"


class RoomConsumer(AsyncJsonWebsocketConsumer):
    room: Room
    attendance: Attendance | None = None
    watchdog: asyncio.Task[None] | None = None

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
        self.device = devices.device_type(devices.asgi_headers(self.scope.get("headers", [])))
        self.group = group_of(room.pk)
        translation.activate(getattr(user, "language", settings.LANGUAGE_CODE))
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data) > MAX_MESSAGE:
            await self.send_json({"type": "error", "message": "too large"})
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            return
        if isinstance(content, dict):
            await self.receive_json(content)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content.get("type")
        if kind == "join":
            await self.join(content)
        elif self.attendance is None:
            return  # nothing but joining before one has joined
        elif kind == "signal":
            await self.to_others("room.signal", {"data": content.get("data")})
        elif kind == "chat":
            await self.chat(str(content.get("text", "")))
        elif kind == "camera":
            on = bool(content.get("on"))
            await database_sync_to_async(domain.camera_changed)(self.attendance, on)
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
        self.client = str(content.get("client", ""))[:64]
        for channel in entry.replaced:
            await self.channel_layer.send(channel, {"type": "room.replaced"})
        await self.channel_layer.group_add(self.group, self.channel_name)
        others = await database_sync_to_async(self.others_present)()
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
        self.watchdog = asyncio.create_task(self.watch())

    def others_present(self) -> bool:
        return (
            Attendance.objects.filter(room_id=self.room.pk, left_at__isnull=True)
            .exclude(user=self.user)
            .exists()
        )

    async def chat(self, text: str) -> None:
        try:
            message = await database_sync_to_async(domain.post_chat)(self.room, self.user, text)
        except ValidationError as error:
            await self.send_json({"type": "error", "message": error.messages[0]})
            return
        line = await database_sync_to_async(domain.chat_line)(message)
        await self.channel_layer.group_send(self.group, {"type": "room.chat", "line": line})

    async def watch(self) -> None:
        """Ends the stay when the participant's standing ends (logged out, suspended, ...)."""
        session_key = getattr(self.scope.get("session"), "session_key", None)
        while True:
            await asyncio.sleep(settings.ROOMS_RECHECK_SECONDS)
            reason = await database_sync_to_async(domain.standing)(
                self.user.pk, session_key, self.room.booking_id
            )
            if reason:
                await self.send_json({"type": "ended", "message": reason})
                await self.end_stay(deliberate=True)
                await self.close(code=ENDED)
                return

    async def to_others(self, kind: str, event: dict[str, Any]) -> None:
        await self.channel_layer.group_send(
            self.group, {**event, "type": kind, "sender": self.channel_name}
        )

    async def end_stay(self, *, deliberate: bool) -> None:
        if self.attendance is None:
            return
        attendance, self.attendance = self.attendance, None
        if self.watchdog is not None and self.watchdog is not asyncio.current_task():
            self.watchdog.cancel()
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await database_sync_to_async(domain.leave)(attendance, self.samples.summary())
        await self.to_others("room.peer", {"event": "left", "deliberate": deliberate})

    async def disconnect(self, code: int) -> None:
        with contextlib.suppress(AttributeError):
            await self.end_stay(deliberate=False)

    # Events from the channel layer -----------------------------------------------------------

    async def room_signal(self, event: dict[str, Any]) -> None:
        if event["sender"] != self.channel_name:
            await self.send_json({"type": "signal", "data": event["data"]})

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
        if self.watchdog is not None:
            self.watchdog.cancel()
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.close(code=REPLACED)
