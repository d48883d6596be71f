"""Reading a WebSocket frame from a browser: a JSON object with a "type", of bounded size and
nesting, its text encodable as UTF-8. Anything else is refused with a message for the person,
before any of it is relayed, stored or copied."""

import json
from typing import Any

from django.utils.translation import gettext as _

MAX_MESSAGE = 64 * 1024  # characters; an SDP with many candidates stays well below this
# Deep enough for every message the room's page sends ({"type", "data": {"candidate": {...}}}),
# shallow enough that copying, serialising and relaying a message never recurses far.
MAX_DEPTH = 8


class BadFrame(Exception):
    """A frame the server does not read; `message` says why, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity, which Python's json takes


def read_frame(text_data: str | None) -> dict[str, Any]:
    """The JSON object of a text frame (None for a binary one). Raises BadFrame when the frame
    is binary, too large, not JSON, not an object with a text "type", nested deeper than
    MAX_DEPTH, or holds text that is not valid Unicode (a lone surrogate)."""
    if text_data is None:
        raise BadFrame(_("Messages are JSON text."))
    if len(text_data) > MAX_MESSAGE:
        raise BadFrame(_("This message is too large."))
    try:
        # Python's parser raises RecursionError on very deep nesting, ValueError otherwise.
        content = json.loads(text_data, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        raise BadFrame(_("This message is not valid JSON.")) from None
    if not isinstance(content, dict) or not isinstance(content.get("type"), str):
        raise BadFrame(_("A message is a JSON object with a type."))
    _check(content)
    return content


def _check(content: dict[str, Any]) -> None:
    """Walks `content` without recursing: depth and text."""
    pending: list[tuple[object, int]] = [(content, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if not _encodable(value):
                raise BadFrame(_("This message holds text that is not valid Unicode."))
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise BadFrame(_("This message is nested too deeply."))
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    pending.append((key, depth))
                pending.append((item, depth + 1))


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True
