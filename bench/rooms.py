"""The video room at scale.

- call: join to first remote video frame. Headless Chromium (fake camera and microphone)
  against uvicorn on loopback: the mentor waits in the room; the mentee's click on "Enter the
  room" is timed until the first frame of the mentor's video is presented on the mentee's
  page (polled every 5 ms): WebSocket, admission, offer and answer, ICE, DTLS and
  decoding. CALLS calls, each in fresh browser contexts; the median.
- signalling: ROOMS rooms with both people connected (2 x ROOMS WebSockets) to one uvicorn
  process; the mentor of every room sends a signal that the mentee's side echoes back,
  ROUND_TRIPS times, PAUSE seconds apart on average (all rooms at once: about 170 round
  trips a second, far busier than calls are once connected); the round trip's median and
  99th percentile, one room's alone first, and the server process's resident memory per
  room (after all joined, less before any connected). With the in-memory channel layer, and
  with Redis's when Redis answers (BENCH_REDIS_URL, default db 14 on localhost).

Rooms are real: mentors made through the domain (mentors.demo), a confirmed booking for each
starting in five minutes (written with bulk_create), and logged-in sessions.
"""

import asyncio
import json
import os
import random
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from bench.browser import CHROMIUM, CHROMIUM_ARGS, serve
from mentor247.accounts.models import User
from mentor247.bookings.models import Booking, Engagement
from mentor247.conftest import server_process
from mentor247.demo.mentors import create_demo_mentor, demo_mentors
from mentor247.policies.domain import accept_versions
from mentor247.policies.queries import pending_versions
from mentor247.rooms.models import Room

DOMAIN = "bench-rooms.test"
CALLS = 10
CALL_TARGET_SECONDS = 1.5
ROOMS = 500
ROUND_TRIPS = 10
PAUSE = 3.0  # seconds between a room's round trips, on average

FIRST_FRAME = """() => new Promise((resolve, reject) => {
  const video = document.getElementById("remote-video");
  const started = performance.now();
  const poll = setInterval(() => {
    if (video.videoWidth > 0 && video.getVideoPlaybackQuality().totalVideoFrames > 0) {
      clearInterval(poll);
      resolve(performance.now() - started);
    }
  }, 5);
  document.getElementById("join").click();
  setTimeout(() => reject(new Error("no remote frame in 15 s")), 15000);
})"""


def _person(email: str) -> User:
    user, _created = User.objects.get_or_create(
        email=email, defaults={"name": email.split("@")[0].title(), "password": make_password(None)}
    )
    if pending := pending_versions(user):
        accept_versions(user, pending, ip_address=None, user_agent="bench")
    return user


def rooms(count: int) -> list[tuple[str, str, str]]:
    """`count` rooms open now: (key, mentor's session id, mentee's session id) each."""
    staff = _person(f"staff@{DOMAIN}")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    password = make_password(None)
    now = timezone.now()
    made = []
    for number, demo in enumerate(demo_mentors(count, domain=DOMAIN)):
        profile = create_demo_mentor(demo, staff=staff, password_hash=password)
        offering = profile.offerings.current().order_by("session_minutes", "pk").first()
        assert offering is not None
        mentee = _person(f"mentee{number}@{DOMAIN}")
        with transaction.atomic():
            Booking.objects.filter(mentor=profile).delete()
            Engagement.objects.filter(mentor=profile).delete()
            engagement = Engagement.objects.create(
                mentee=mentee,
                mentor=profile,
                offering=offering,
                credits=1,
                status=Engagement.Status.ACTIVE,
                created_at=now,
                confirmed_at=now,
                expires_at=now + timedelta(days=30),
            )
            start = now + timedelta(minutes=5)
            end = start + timedelta(minutes=offering.session_minutes)
            booking = Booking.objects.create(
                engagement=engagement,
                mentor=profile,
                mentee=mentee,
                status=Booking.Status.CONFIRMED,
                starts_at=start,
                ends_at=end,
                blocked_from=start,
                blocked_until=end,
                created_at=now,
                confirmed_at=now,
            )
            room = Room.objects.create(booking=booking)
        made.append((room.key, _session(profile.user), _session(mentee)))
    return made


def _session(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


# Join to first frame ---------------------------------------------------------------------------


def call() -> None:
    from playwright.sync_api import sync_playwright

    key, mentor_session, mentee_session = rooms(1)[0]
    server, thread, port = serve()
    base = f"http://127.0.0.1:{port}"
    path = f"{base}/rooms/{key}/"
    milliseconds: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(CALLS):
                mentor = browser.new_context()
                mentee = browser.new_context()
                mentor.add_cookies([{"name": "sessionid", "value": mentor_session, "url": base}])
                mentee.add_cookies([{"name": "sessionid", "value": mentee_session, "url": base}])
                mentor_page, mentee_page = mentor.new_page(), mentee.new_page()
                mentor_page.goto(path)
                for box in mentor_page.query_selector_all("#checklist input"):
                    box.check()
                mentor_page.click("#join")
                mentor_page.wait_for_selector("#call:not([hidden])")
                mentee_page.goto(path)
                mentee_page.wait_for_function(
                    "() => document.getElementById('self-view').videoWidth > 0"
                )
                milliseconds.append(mentee_page.evaluate(FIRST_FRAME))
                mentee_page.click("#leave")
                mentor_page.click("#leave")
                mentor.close()
                mentee.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    print(f"database: {connection.vendor}")
    print(
        f"call, join to first remote frame, {CALLS} calls in headless Chromium on loopback: "
        f"median {statistics.median(milliseconds):.0f} ms, slowest {max(milliseconds):.0f} ms "
        f"(target under {CALL_TARGET_SECONDS * 1000:.0f} ms)"
    )


# Signalling ------------------------------------------------------------------------------------


def _resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def _open(url: str, session: str, origin: str) -> Any:
    from websockets.asyncio.client import connect
    from websockets.typing import Origin

    socket = await connect(
        url,
        origin=Origin(origin),
        additional_headers={"Cookie": f"sessionid={session}"},
        max_queue=None,
    )
    await socket.send(json.dumps({"type": "join", "camera": True, "checklist": True}))
    while True:
        message = json.loads(await socket.recv())
        if message["type"] == "joined":
            return socket
        if message["type"] == "refused":
            raise RuntimeError(message["message"])


async def _echo(socket: Any) -> None:
    """The mentee's side: every signal goes straight back."""
    async for raw in socket:
        message = json.loads(raw)
        if message["type"] == "signal":
            await socket.send(json.dumps({"type": "signal", "data": message["data"]}))


async def _round_trips(socket: Any, samples: list[float], pause: float = 0.0) -> None:
    rng = random.Random(id(socket))
    for number in range(ROUND_TRIPS):
        if pause:
            await asyncio.sleep(rng.uniform(0, 2 * pause))
        started = time.perf_counter()
        await socket.send(json.dumps({"type": "signal", "data": {"n": number}}))
        while True:
            message = json.loads(await socket.recv())
            if message["type"] == "signal" and message["data"] == {"n": number}:
                break
        samples.append((time.perf_counter() - started) * 1000)


async def _signalling(origin: str, made: list[tuple[str, str, str]], pid: int) -> dict[str, Any]:
    base = origin.replace("http://", "ws://") + "/ws/rooms/"
    before = _resident_kib(pid)
    pairs = []
    for batch in range(0, len(made), 50):  # joins in batches, as people arrive over time
        chunk = made[batch : batch + 50]
        mentors = await asyncio.gather(*(_open(base + k + "/", m, origin) for k, m, _ in chunk))
        mentees = await asyncio.gather(*(_open(base + k + "/", e, origin) for k, _, e in chunk))
        pairs += list(zip(mentors, mentees, strict=True))
    for mentor, _mentee in pairs:  # the "peer joined" each mentor was sent
        json.loads(await mentor.recv())
    joined = _resident_kib(pid)
    echoes = [asyncio.create_task(_echo(mentee)) for _mentor, mentee in pairs]
    alone: list[float] = []
    await _round_trips(pairs[0][0], alone)
    loaded: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(_round_trips(mentor, loaded, PAUSE) for mentor, _mentee in pairs))
    seconds = time.perf_counter() - started
    for task in echoes:
        task.cancel()
    await asyncio.gather(*(s.close() for pair in pairs for s in pair), return_exceptions=True)
    loaded.sort()
    return {
        "alone_median": statistics.median(alone),
        "median": statistics.median(loaded),
        "p99": loaded[int(len(loaded) * 0.99) - 1],
        "relays_per_second": 2 * len(loaded) / seconds,
        "kib_per_room": (joined - before) / len(pairs),
        "rss_mib": joined / 1024,
    }


def signalling() -> None:
    made = rooms(ROOMS)
    print(f"database: {connection.vendor}")
    layers = [("in-memory channel layer", "")]
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    if _redis_answers(redis_url):
        layers.append(("Redis channel layer", redis_url))
    for name, url in layers:
        figures = _signalling_on_one_process(made, url)
        print(
            f"signalling, {len(made)} rooms ({2 * len(made)} WebSockets) on one process, {name}: "
            f"round trip of a relayed message, one room alone median "
            f"{figures['alone_median']:.2f} ms; all rooms busy median "
            f"{figures['median']:.1f} ms, p99 {figures['p99']:.1f} ms, "
            f"{figures['relays_per_second']:.0f} relays/s"
        )
        print(
            f"  memory: {figures['kib_per_room']:.0f} KiB per room (server resident "
            f"{figures['rss_mib']:.0f} MiB with all joined)"
        )


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.ConnectionError:
        return False


def _signalling_on_one_process(made: list[tuple[str, str, str]], redis_url: str) -> dict[str, Any]:
    env = {**os.environ, "ROOMS_RECHECK_SECONDS": "5", "REDIS_URL": redis_url}
    with server_process(env) as (url, server):
        return asyncio.run(_signalling(url, made, server.pid))
