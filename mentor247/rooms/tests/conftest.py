"""A session happening now, for the room's tests: booked and confirmed through the domain at a
later time, then placed around the present (the browser's clock cannot be moved)."""

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from asgiref.testing import ApplicationCommunicator
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at
from mentor247.mentors.models import Offering


def session_now(
    offering: Offering,
    mentee: User,
    *,
    starts_in: timedelta = timedelta(minutes=2),
    first_mentoring: bool = False,
) -> Booking:
    booking = bookings.book(offering, mentee, at(5, 10), first_mentoring=first_mentoring)
    if booking.status != Booking.Status.CONFIRMED:
        booking = bookings.confirm_booking(booking.pk)
    place(booking, timezone.now() + starts_in)
    return booking


def place(booking: Booking, starts_at: datetime) -> None:
    """Moves `booking` to `starts_at` in the database alone (tests' set-up, not a move)."""
    length = booking.ends_at - booking.starts_at
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=starts_at,
        ends_at=starts_at + length,
        blocked_from=starts_at,
        blocked_until=starts_at + length,
    )
    booking.refresh_from_db()


def wait_until(condition: Callable[[], object], timeout: float = 10) -> None:
    """Waits for `condition()` to hold (what a server thread or a browser does meanwhile)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        time.sleep(0.05)


class Communicator(ApplicationCommunicator):
    """A WebSocket client that speaks ASGI to the application in this process, no server
    between (Channels' own WebsocketCommunicator needs daphne). What the application raises
    is raised by receive_output and wait."""

    def __init__(
        self, application: Any, path: str, headers: list[tuple[bytes, bytes]], scheme: str = "ws"
    ) -> None:
        scope = {
            "type": "websocket",
            "scheme": scheme,
            "path": path,
            "query_string": b"",
            "headers": headers,
            "subprotocols": [],
        }
        super().__init__(application, scope)

    async def connect(self, timeout: float = 5) -> bool:
        """Whether the application accepts the handshake."""
        await self.send_input({"type": "websocket.connect"})
        answer = await self.receive_output(timeout)
        assert answer["type"] in ("websocket.accept", "websocket.close"), answer
        return bool(answer["type"] == "websocket.accept")

    async def send_frame(self, *, text: str | None = None, data: bytes | None = None) -> None:
        if text is not None:
            await self.send_input({"type": "websocket.receive", "text": text})
        else:
            await self.send_input({"type": "websocket.receive", "bytes": data})

    async def receive_json(self, timeout: float = 5) -> Any:
        answer = await self.receive_output(timeout)
        assert answer["type"] == "websocket.send" and "text" in answer, answer
        return json.loads(answer["text"])

    async def disconnect(self, timeout: float = 5) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(timeout)


__all__ = ["Bookable", "Communicator", "place", "session_now", "wait_until"]
