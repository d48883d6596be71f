"""A local server that answers the Stripe API endpoints the platform uses with recorded
responses (responses.json), and keeps every request it was sent, so tests can read the
parameters and idempotency keys. A response named "GET /path#variant" is served for
GET /path once the test chooses that variant."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

RESPONSES = json.loads((Path(__file__).parent / "responses.json").read_text())


@dataclass
class Sent:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, list[str]]


@dataclass
class RecordedStripe:
    url: str = ""
    variants: dict[str, str] = field(default_factory=dict)  # path → variant
    sent: list[Sent] = field(default_factory=list)

    def answer(self, method: str, path: str) -> tuple[int, dict[str, Any]]:
        name = f"{method} {path}"
        if path in self.variants:
            name += "#" + self.variants[path]
        if name not in RESPONSES:
            message = f"No such endpoint: {name}"
            return 404, {"error": {"type": "invalid_request_error", "message": message}}
        payload = RESPONSES[name]
        # A recorded refusal: Stripe answers an error object with a 400.
        return (400 if "error" in payload else 200), payload

    def requests_to(self, method: str, path: str) -> list[Sent]:
        return [sent for sent in self.sent if (sent.method, sent.path) == (method, path)]


@contextmanager
def recorded_stripe() -> Iterator[RecordedStripe]:
    stripe = RecordedStripe()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            stripe.sent.append(
                Sent(self.command, parts.path, dict(self.headers), parse_qs(body or parts.query))
            )
            status, payload = stripe.answer(self.command, parts.path)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_recorded")
            self.end_headers()
            self.wfile.write(data)

        do_GET = _serve
        do_POST = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stripe.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stripe
    finally:
        server.shutdown()
        server.server_close()
