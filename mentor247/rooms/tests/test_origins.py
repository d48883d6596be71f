"""The Origin check of WebSocket handshakes: scheme, host and port of the page's origin against
the socket's own origin and the trusted origins."""

import asyncio
from typing import Any

import pytest
from channels.generic.websocket import AsyncWebsocketConsumer

from mentor247.rooms.origins import SameOriginValidator
from mentor247.rooms.tests.conftest import Communicator


class Accepting(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()


def opens(origin: str | None, host: str, *, scheme: str = "ws") -> bool:
    """Whether a socket opened on `scheme`://`host` from a page of `origin` is accepted."""
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))

    async def handshake() -> bool:
        communicator = Communicator(
            SameOriginValidator(Accepting.as_asgi()), "/ws/", headers, scheme=scheme
        )
        connected = await communicator.connect()
        await communicator.disconnect()
        return connected

    return asyncio.run(handshake())


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["mentor247.example", "127.0.0.1", "[::1]"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.partner.example", "https://*.mentors.example"]


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        ("https://mentor247.example", "mentor247.example", "wss"),
        ("https://mentor247.example:443", "mentor247.example", "wss"),
        ("https://MENTOR247.example", "mentor247.example:443", "wss"),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "ws"),
        ("http://[::1]:8000", "[::1]:8000", "ws"),
        ("https://app.partner.example", "mentor247.example", "wss"),
        ("https://eu.mentors.example", "mentor247.example", "wss"),
    ],
)
def test_a_page_of_the_sockets_own_or_a_trusted_origin_opens_it(
    origin: str, host: str, scheme: str
) -> None:
    assert opens(origin, host, scheme=scheme)


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        # another port of the same host
        ("http://127.0.0.1:9999", "127.0.0.1:8000", "ws"),
        ("https://mentor247.example:8443", "mentor247.example", "wss"),
        # an https page for a socket of plain http on another port, and the other way round
        ("https://127.0.0.1", "127.0.0.1:8000", "ws"),
        ("http://mentor247.example", "mentor247.example", "wss"),
        ("https://mentor247.example", "mentor247.example", "ws"),
        # another host, a host the site does not serve, an origin that is not one
        ("https://elsewhere.example", "mentor247.example", "wss"),
        ("https://elsewhere.example", "elsewhere.example", "wss"),
        ("https://mentor247.example.evil.example", "mentor247.example", "wss"),
        ("null", "mentor247.example", "wss"),
        ("https://mentor247.example/path", "mentor247.example", "wss"),
        ("https://mentor247.example:notaport", "mentor247.example", "wss"),
        (None, "mentor247.example", "wss"),
        # a trusted origin's scheme and port are part of it
        ("http://app.partner.example", "mentor247.example", "wss"),
        ("https://app.partner.example:8443", "mentor247.example", "wss"),
        ("http://eu.mentors.example", "mentor247.example", "wss"),
    ],
)
def test_a_page_of_any_other_origin_is_refused(origin: str | None, host: str, scheme: str) -> None:
    assert not opens(origin, host, scheme=scheme)
