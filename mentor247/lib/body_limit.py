"""The largest request body the server takes, enforced as the body arrives.

Django's ASGI handler receives the whole body (spooling it to disk) before any middleware
sees the request, so a limit checked in Django comes after the bytes were taken. `BodyLimit`
wraps the ASGI application instead: a request whose Content-Length is over the limit is
answered 413 at once, unread, and one without a length (chunked) is cut off with 413 as soon as
what arrived passes the limit. The limit is API_MAX_BODY_BYTES under /api/ and
REQUEST_MAX_BODY_BYTES elsewhere (a photo of up to 5 MB with its form fits); the API's answer
has its error shape (api.errors).
"""

import json
from typing import Any

from django.conf import settings
from django.utils import translation

Scope = dict[str, Any]
Message = dict[str, Any]


class TooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")
        limit = settings.API_MAX_BODY_BYTES if api else settings.REQUEST_MAX_BODY_BYTES
        length = _content_length(scope)
        if length is not None and length > limit:
            await _refuse(send, api=api, limit=limit)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message: Message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge
            return message

        async def noted_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, noted_send)
        except TooLarge:
            if not started:
                await _refuse(send, api=api, limit=limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Any, *, api: bool, limit: int) -> None:
    # No request yet to take a language from: the site's own.
    with translation.override(settings.LANGUAGE_CODE):
        detail = translation.gettext("The request is too large: send at most %(size)s bytes.") % {
            "size": limit
        }
    if api:  # the API's error shape (api.errors)
        body = json.dumps({"code": "too_large", "detail": detail, "errors": {}}).encode()
        content_type = b"application/json"
    else:
        body = detail.encode()
        content_type = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
