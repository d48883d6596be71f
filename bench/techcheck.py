"""The tech check end to end: headless Chromium (fake camera and microphone) against uvicorn
serving the ASGI application on loopback, as a logged-in person. Each run opens the page in a
fresh browser context, answers the speaker question, then times the click on "Start the
check" until the verdict is on the page: camera and microphone start, the WebSocket and the
server's WebRTC peer (aiortc) connect, round trips, loss and throughput are measured, and the
figures are posted and judged. Median of `runs` runs (5; one in smoke mode).
"""

import statistics
import time
from typing import Any

from django.db import connection

from bench.browser import chromium, in_thread, serve
from bench.people import person, session_key
from mentor247.accounts.models import User
from mentor247.techcheck.models import TechCheck

RUNS = 5
SMOKE_RUNS = 1
TARGET_SECONDS = 10


def _checks(user: User, count: int) -> list[TechCheck]:
    return in_thread(
        lambda: list(TechCheck.objects.filter(user=user).order_by("-checked_at")[:count])
    )


def run(*, runs: int = RUNS, browser: Any = None) -> None:
    """`runs` checks in `browser` (a Playwright Chromium) or one launched for the run."""
    user = person("techcheck@bench-techcheck.test")
    session = session_key(user)
    server, thread, port = serve()
    base = f"http://127.0.0.1:{port}"
    seconds: list[float] = []
    try:
        with chromium(browser) as launched:
            for _ in range(runs):
                context = launched.new_context()
                context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
                page = context.new_page()
                page.goto(f"{base}/tech-check/")
                page.click("#tc-play")
                page.click("[data-speaker=heard]")
                start = time.perf_counter()
                page.click("#tc-start")
                page.wait_for_selector("#tc-after:not([hidden])", timeout=60_000)
                seconds.append(time.perf_counter() - start)
                context.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    checks = _checks(user, runs)
    assert len(checks) == runs, f"{len(checks)} of {runs} checks were stored"
    print(f"database: {connection.vendor}")
    print(
        f"tech check, start to verdict, {runs} runs in headless Chromium on loopback: "
        f"median {statistics.median(seconds):.2f} s, slowest {max(seconds):.2f} s "
        f"(target under {TARGET_SECONDS} s)"
    )
    print(
        "figures: verdicts "
        f"{sorted(check.verdict for check in checks)}; round trip median "
        f"{statistics.median(check.rtt_ms or 0 for check in checks)} ms; loss median "
        f"{statistics.median(check.loss_percent or 0 for check in checks)} %; throughput "
        f"median {statistics.median(check.throughput_kbps or 0 for check in checks)} kbit/s"
    )
