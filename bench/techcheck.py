"""The tech check end to end: headless Chromium (fake camera and microphone) against uvicorn
serving the ASGI application on loopback, as a logged-in person. Each run opens the page in a
fresh browser context, answers the speaker question, then times the click on "Start the
check" until the verdict is on the page: camera and microphone start, the WebSocket and the
server's WebRTC peer (aiortc) connect, round trips, loss and throughput are measured, and the
figures are posted and judged. Median of RUNS runs.
"""

import statistics
import time

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client

from bench.browser import CHROMIUM, CHROMIUM_ARGS, in_thread, serve
from mentor247.accounts.models import User
from mentor247.policies.domain import accept_versions
from mentor247.policies.queries import pending_versions
from mentor247.techcheck.models import TechCheck

RUNS = 5
TARGET_SECONDS = 10


def _session_cookie() -> tuple[User, str]:
    user, _created = User.objects.get_or_create(
        email="techcheck@bench-techcheck.test",
        defaults={"name": "Bench Techcheck", "password": make_password(None)},
    )
    if pending := pending_versions(user):
        accept_versions(user, pending, ip_address=None, user_agent="bench")
    client = Client()
    client.force_login(user)
    return user, client.cookies["sessionid"].value


def _checks(user: User, count: int) -> list[TechCheck]:
    return in_thread(
        lambda: list(TechCheck.objects.filter(user=user).order_by("-checked_at")[:count])
    )


def run() -> None:
    from playwright.sync_api import sync_playwright

    user, session = _session_cookie()
    server, thread, port = serve()
    base = f"http://127.0.0.1:{port}"
    seconds: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(RUNS):
                context = browser.new_context()
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
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    checks = _checks(user, RUNS)
    print(f"database: {connection.vendor}")
    print(
        f"tech check, start to verdict, {RUNS} runs in headless Chromium on loopback: "
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
