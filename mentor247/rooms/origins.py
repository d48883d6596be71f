"""The Origin check of every WebSocket handshake (mentor247.asgi wraps all of them in it).

A handshake is accepted when its Origin is the very origin the socket is opened on, scheme,
host and port alike (ws pairs with http, wss with https; the Host one of ALLOWED_HOSTS), or
one of CSRF_TRUSTED_ORIGINS ("https://*.example.com" allows that domain's subdomains), as
Django's CSRF check does for forms. Channels' AllowedHostsOriginValidator compares the host
alone, so a page of another port or scheme on the same host passed it. A missing or opaque
("null") Origin is refused: browsers always send one.
"""

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

DEFAULT_PORTS = {"http": 80, "https": 443}
# The page's scheme that goes with each of the socket's.
PAGE_SCHEMES = {"ws": "http", "wss": "https"}

Origin = tuple[str, str, int]  # scheme, host (lowercase, IPv6 without brackets), port


def parse_origin(value: str) -> Origin | None:
    """An origin ("https://example.com:8443") as its parts, or None if it is not one."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in DEFAULT_PORTS or not host or parts.path or parts.query or parts.username:
        return None
    return scheme, host, port or DEFAULT_PORTS[scheme]


def own_origin(scope: dict[str, Any]) -> Origin | None:
    """The origin a WebSocket is opened on: its scheme and Host header, the Host one of
    ALLOWED_HOSTS (Django's own rule, DEBUG's local hosts included)."""
    host = _header(scope, b"host")
    if host is None:
        return None
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    if not domain or not validate_host(domain, allowed):
        return None
    scheme = PAGE_SCHEMES.get(scope.get("scheme", "ws"))
    return parse_origin(f"{scheme}://{host}") if scheme else None


def is_allowed(scope: dict[str, Any]) -> bool:
    """Whether the handshake in `scope` comes from an origin allowed to open it."""
    value = _header(scope, b"origin")
    origin = parse_origin(value) if value else None
    if origin is None:
        return False
    if origin == own_origin(scope):
        return True
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        scheme, _, netloc = trusted.partition("://")
        if netloc.startswith("*."):
            wildcard = parse_origin(f"{scheme}://{netloc[2:]}")
            if (
                wildcard is not None
                and (origin[0], origin[2]) == (wildcard[0], wildcard[2])
                and is_same_domain(origin[1], "." + wildcard[1])
            ):
                return True
        elif origin == parse_origin(trusted):
            return True
    return False


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            try:
                return str(value.decode("latin-1"))
            except (AttributeError, UnicodeDecodeError):
                return None
    return None


class SameOriginValidator:
    """ASGI middleware: WebSocket handshakes from an origin not allowed (is_allowed) are
    refused with 403 before they reach the application; other traffic passes through."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not is_allowed(scope):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.application(scope, receive, send)
