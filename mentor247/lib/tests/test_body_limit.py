"""Bodies over the limit are refused by the running server as they arrive, not after."""

import contextlib
import http.client
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def connect(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)


def announce(url: str, path: str, length: int) -> http.client.HTTPResponse:
    """Sends the headers of a request with a body of `length` bytes, and not one byte of it."""
    connection = connect(url)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(length))
    connection.endheaders()
    return connection.getresponse()


def test_a_body_announced_over_the_limit_is_refused_before_it_is_sent(asgi_server: str) -> None:
    api = announce(asgi_server, "/api/bookings", 30 * 1024 * 1024)
    assert api.status == 413
    assert api.getheader("Content-Type") == "application/json"
    body = json.loads(api.read())
    assert body["code"] == "too_large" and "1048576" in body["detail"]

    page = announce(asgi_server, "/accounts/login/", 30 * 1024 * 1024)
    assert page.status == 413
    assert "8388608" in page.read().decode()


def test_a_chunked_body_is_cut_off_once_over_the_limit(asgi_server: str) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        for _number in range(1024):  # 64 MiB in all, if the server took it
            sent += 65536
            yield b" " * 65536

    connection = connect(asgi_server)
    # The server answers and closes while the rest is still being sent.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        connection.request(
            "POST",
            "/api/me/offerings",
            body=chunks(),
            headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
            encode_chunked=True,
        )
    response = connection.getresponse()
    assert response.status == 413
    assert json.loads(response.read())["code"] == "too_large"
    assert sent < 64 * 1024 * 1024


def test_bodies_within_the_limit_pass(asgi_server: str) -> None:
    connection = connect(asgi_server)
    body: Any = json.dumps({"offering_id": 1, "start": "2030-01-01T10:00:00Z"}).encode()
    connection.request(
        "POST", "/api/bookings", body=body, headers={"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    assert response.status == 401  # read, and answered by the API itself
    assert json.loads(response.read())["code"] == "not_authenticated"
