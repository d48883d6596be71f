"""The video room at scale.

- call: join to first remote video frame. Headless Chromium (fake camera and microphone)
  against uvicorn on loopback: the mentor waits in the room; the mentee's click on "Enter the
  room" is timed until the first frame of the mentor's video is presented on the mentee's
  page (polled every 5 ms): WebSocket, admission, offer and answer, ICE, DTLS and
  decoding. `calls` calls (Sizes), each in fresh browser contexts; the median.
- signalling: `rooms` rooms with both people connected (two WebSockets each) to one uvicorn
  process; the mentor of every room sends a signal that the mentee's side echoes back,
  `round_trips` times, `pause` seconds apart on average (all rooms at once: about 170 round
  trips a second, far busier than calls are once connected); the round trip's median and
  99th percentile, one room's alone first, and the server process's resident memory per
  room (after all joined, less before any connected). With the in-memory channel layer, and
  with Redis's when Redis answers (BENCH_REDIS_URL, default db 14 on localhost).

Rooms are real, made through the domain: mentors from demo.mentors, open at all hours; for
each, a mentee who books the mentor's shortest offering at its first open time (a few minutes
away, so the room is open) and pays with the sandbox's test card; logged-in sessions. A later
run first closes the sessions an earlier one left.

Smoke mode (SMOKE) makes two rooms, one call, and signalling with the in-memory channel layer
alone; it judges nothing.
"""

import asyncio
import json
import math
import os
import random
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from bench.browser import chromium, database_url, serve
from bench.people import (
    ALWAYS_OPEN,
    confirmed,
    end_active_sessions,
    first_open_time,
    person,
    session_key,
)
from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.conftest import server_process
from mentor247.demo.mentors import create_demo_mentor, demo_mentors
from mentor247.mentors.models import Offering
from mentor247.rooms.domain import room_for
from mentor247.rooms.rules import opens_at as room_opens_at
from mentor247.scheduling.domain import replace_availability

DOMAIN = "bench-rooms.test"
CALL_TARGET_SECONDS = 1.5
ECHO_SECONDS = 10  # a round trip whose echo takes longer counts as lost


@dataclass(frozen=True)
class Sizes:
    calls: int = 10
    rooms: int = 500
    round_trips: int = 10
    pause: float = 3.0  # seconds between a room's round trips, on average
    redis: bool = True  # signalling with Redis's channel layer too, when it answers


FULL = Sizes()
SMOKE = Sizes(calls=1, rooms=2, round_trips=2, pause=0.05, redis=False)

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


def rooms(count: int) -> list[tuple[str, str, str]]:
    """`count` rooms open now: (key, mentor's session key, mentee's session key) each."""
    staff = person(f"staff@{DOMAIN}", staff=True)
    password = make_password(None)
    made = []
    opens = timezone.now()
    for number, demo in enumerate(demo_mentors(count, domain=DOMAIN)):
        profile = create_demo_mentor(demo, staff=staff, password_hash=password)
        replace_availability(profile, ALWAYS_OPEN)
        offering = profile.offerings.current().order_by("session_minutes", "pk").first()
        assert offering is not None
        mentee = person(f"mentee{number}@{DOMAIN}")
        end_active_sessions(profile)
        booking = _soonest(offering, mentee)
        opens = max(opens, room_opens_at(booking.starts_at))
        made.append((room_for(booking).key, session_key(profile.user), session_key(mentee)))
    # A start on the grid may lie a little more than the room's opening ahead.
    time.sleep(max(0.0, (opens - timezone.now()).total_seconds()))
    return made


def _soonest(offering: Offering, mentee: User) -> Booking:
    """A confirmed session of `offering` at the mentor's first open time from now on."""
    while True:
        after = timezone.now() + timedelta(seconds=5)
        start = first_open_time(offering.profile, offering.session_minutes, after=after)
        try:
            return confirmed(offering, mentee, start)
        except bookings.Conflict:  # the time came while it was booked or paid for
            continue


# Join to first frame ---------------------------------------------------------------------------


def call(*, sizes: Sizes = FULL, browser: Any = None) -> None:
    """Join to first remote frame, in `browser` (a Playwright Chromium) or one of its own."""
    key, mentor_session, mentee_session = rooms(1)[0]
    server, thread, port = serve()
    base = f"http://127.0.0.1:{port}"
    try:
        with chromium(browser) as launched:
            sessions = (mentor_session, mentee_session)
            milliseconds = _calls(launched, f"{base}/rooms/{key}/", sizes.calls, sessions)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    print(f"database: {connection.vendor}")
    print(
        f"call, join to first remote frame, {sizes.calls} calls in headless Chromium on "
        f"loopback: median {statistics.median(milliseconds):.0f} ms, slowest "
        f"{max(milliseconds):.0f} ms (target under {CALL_TARGET_SECONDS * 1000:.0f} ms)"
    )


def _calls(browser: Any, path: str, count: int, sessions: tuple[str, str]) -> list[float]:
    mentor_session, mentee_session = sessions
    base = path.split("/rooms/", 1)[0]
    milliseconds: list[float] = []
    for _ in range(count):
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
        mentee_page.wait_for_function("() => document.getElementById('self-view').videoWidth > 0")
        milliseconds.append(mentee_page.evaluate(FIRST_FRAME))
        mentee_page.click("#leave")
        mentor_page.click("#leave")
        mentor.close()
        mentee.close()
    return milliseconds


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


async def _round_trips(socket: Any, samples: list[float], count: int, pause: float = 0.0) -> int:
    """`count` round trips from `socket`, their milliseconds added to `samples`; returns how
    many echoes never came back within ECHO_SECONDS (a late one is then ignored)."""
    rng = random.Random(id(socket))
    lost = 0
    for number in range(count):
        if pause:
            await asyncio.sleep(rng.uniform(0, 2 * pause))
        started = time.perf_counter()
        await socket.send(json.dumps({"type": "signal", "data": {"n": number}}))
        try:
            await asyncio.wait_for(_echo_of(socket, number), ECHO_SECONDS)
        except TimeoutError:
            lost += 1
            continue
        samples.append((time.perf_counter() - started) * 1000)
    return lost


async def _echo_of(socket: Any, number: int) -> None:
    while True:
        message = json.loads(await socket.recv())
        if message["type"] == "signal" and message["data"] == {"n": number}:
            return


async def _signalling(
    origin: str, made: list[tuple[str, str, str]], pid: int, sizes: Sizes
) -> dict[str, Any]:
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
    lost = await _round_trips(pairs[0][0], alone, sizes.round_trips)
    loaded: list[float] = []
    started = time.perf_counter()
    lost += sum(
        await asyncio.gather(
            *(_round_trips(mentor, loaded, sizes.round_trips, sizes.pause) for mentor, _ in pairs)
        )
    )
    seconds = time.perf_counter() - started
    for task in echoes:
        task.cancel()
    await asyncio.gather(*(s.close() for pair in pairs for s in pair), return_exceptions=True)
    loaded.sort()
    return {
        "alone_median": statistics.median(alone or [math.nan]),
        "median": statistics.median(loaded or [math.nan]),
        "p99": loaded[int(len(loaded) * 0.99) - 1] if loaded else math.nan,
        "relays_per_second": 2 * len(loaded) / seconds,
        "kib_per_room": (joined - before) / len(pairs),
        "rss_mib": joined / 1024,
        "lost": lost,
    }


def signalling(*, sizes: Sizes = FULL, redis_url: str = "") -> None:
    """Signalling over one server process with the in-memory channel layer, then with
    Redis's at `redis_url` (BENCH_REDIS_URL, or db 14 on localhost, when it answers)."""
    made = rooms(sizes.rooms)
    print(f"database: {connection.vendor}")
    layers = [("in-memory channel layer", "")]
    redis_url = redis_url or os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    if sizes.redis and _redis_answers(redis_url):
        layers.append(("Redis channel layer", redis_url))
    for name, url in layers:
        figures = _signalling_on_one_process(made, url, sizes)
        print(
            f"signalling, {len(made)} rooms ({2 * len(made)} WebSockets) on one process, {name}: "
            f"round trip of a relayed message, one room alone median "
            f"{figures['alone_median']:.2f} ms; all rooms busy median "
            f"{figures['median']:.1f} ms, p99 {figures['p99']:.1f} ms, "
            f"{figures['relays_per_second']:.0f} relays/s; {figures['lost']} round trips "
            f"lost (no echo within {ECHO_SECONDS} s)"
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


def _signalling_on_one_process(
    made: list[tuple[str, str, str]], redis_url: str, sizes: Sizes
) -> dict[str, Any]:
    """The server process reaches this process's database (the benchmarks' own, or the
    test run's) and shares its VAR_DIR, where the development secret key lives."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "VAR_DIR": str(settings.VAR_DIR),
        "ROOMS_RECHECK_SECONDS": "5",
        "REDIS_URL": redis_url,
    }
    with server_process(env) as (url, server):
        return asyncio.run(_signalling(url, made, server.pid, sizes))
