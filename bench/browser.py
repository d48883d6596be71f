"""What the browser benchmarks share: the ASGI server in a thread, and headless Chromium with
a fake camera and microphone."""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection

# The browser tests' Chromium and its flags (fake camera and microphone).
from mentor247.conftest import CHROMIUM, CHROMIUM_ARGS

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "chromium",
    "database_url",
    "free_port",
    "in_thread",
    "serve",
]

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve() -> tuple[Any, threading.Thread, int]:
    """uvicorn serving the ASGI application on a free loopback port, in a thread."""
    import uvicorn

    from mentor247.asgi import application

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, lifespan="off", log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the ASGI server did not start")
        time.sleep(0.02)
    return server, thread, port


def in_thread(read: Callable[[], T]) -> T:
    """Runs ORM work in a thread of its own: Playwright leaves an event loop in this one,
    where Django refuses ORM calls."""

    def run() -> T:
        try:
            return read()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@contextmanager
def chromium(browser: Any = None) -> Iterator[Any]:
    """`browser` when given (the test suite's Playwright Chromium), else headless Chromium
    launched for the run and closed after it."""
    if browser is not None:
        yield browser
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def database_url() -> str:
    """This process's database as another process reaches it (the benchmarks' own database,
    or the test run's)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        user = f"{user}:{db['PASSWORD']}"
    return f"postgresql://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
