"""Every benchmark by name, each runnable at full size or in smoke mode.

Smoke mode runs a benchmark once at a small size (a few rows, one round, one browser run):
everything it makes goes through the same code as a full run, its own checks of what came
out still hold (a payment confirms its booking, a tech check is stored), and no figure is
judged. The test suite runs every benchmark this way on its own test database
(mentor247/lib/tests/test_bench_smoke.py), so a change that breaks a benchmark fails there.

Benchmarks take `smoke` and, when they drive Chromium, `browser`: a Playwright browser to use
instead of launching one (the test suite's).
"""

import os
import statistics
import time
from collections.abc import Callable
from typing import Any, Protocol

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import booking, ledger, mentor_search, payments, rooms, slots, techcheck
from bench.people import person
from mentor247.accounts.models import User
from mentor247.demo.data import NAMED_MENTORS
from mentor247.demo.mentors import create_demo_mentor
from mentor247.policies.queries import has_pending, pending_versions


class Benchmark(Protocol):
    def __call__(self, *, smoke: bool = False, browser: Any = None) -> None: ...


def timed(action: Callable[[], object], *, rounds: int) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def queries(action: Callable[[], object]) -> int:
    """The number of queries `action` makes."""
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def foundation(*, smoke: bool = False, browser: Any = None) -> None:
    """Request cost of the foundation: pages and the per-request policy check. A full run
    loads the demo data (seed_demo); smoke mode makes only the mentor it logs in as."""
    if smoke:
        staff = person("staff@mentor247.test", staff=True)
        create_demo_mentor(NAMED_MENTORS[0], staff=staff, password_hash=make_password(None))
    else:
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    mentor = User.objects.get(email=NAMED_MENTORS[0].email)
    visitor, member = Client(), Client()
    member.force_login(mentor)
    rounds = 1 if smoke else None
    rows = [
        ("home page, visitor", lambda: visitor.get("/"), rounds or 300),
        ("home page, logged-in mentor", lambda: member.get("/"), rounds or 300),
        ("mentor area (policy check + page)", lambda: member.get("/mentor/"), rounds or 300),
        ("has_pending(mentor), every request", lambda: has_pending(mentor), rounds or 1000),
        ("pending_versions(mentor)", lambda: pending_versions(mentor), rounds or 1000),
        ("password hash (login cost)", lambda: make_password("a-long-password"), rounds or 30),
    ]
    print(f"database: {connection.vendor}")
    print(f"{'what':<38} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, action, count in rows:
        response = action()  # warm caches and compiled templates
        assert getattr(response, "status_code", 200) == 200, name
        median, p95 = timed(action, rounds=count)
        print(f"{name:<38} {median:>10.2f} {p95:>8.2f} {queries(action):>8}")


def search(*, smoke: bool = False, browser: Any = None) -> None:
    """The mentor directory's search over 100,000 mentors (bench/mentor_search.py)."""
    sizes = mentor_search.SMOKE if smoke else mentor_search.FULL
    mentor_search.run(timed=timed, queries=queries, sizes=sizes)


def slot_engine(*, smoke: bool = False, browser: Any = None) -> None:
    """The slot engine in process (bench/slots.py)."""
    slots.run(timed=timed, rounds=1 if smoke else slots.ROUNDS)


def booking_api(*, smoke: bool = False, browser: Any = None) -> None:
    """The open-times API of a busy mentor, and a race for one time (bench/booking.py)."""
    booking.run(timed=timed, sizes=booking.SMOKE if smoke else booking.FULL)


def tech_check(*, smoke: bool = False, browser: Any = None) -> None:
    """The tech check from start to verdict in headless Chromium (bench/techcheck.py)."""
    techcheck.run(runs=techcheck.SMOKE_RUNS if smoke else techcheck.RUNS, browser=browser)


def call(*, smoke: bool = False, browser: Any = None) -> None:
    """Join to first remote video frame in headless Chromium (bench/rooms.py)."""
    rooms.call(sizes=rooms.SMOKE if smoke else rooms.FULL, browser=browser)


def signalling(*, smoke: bool = False, browser: Any = None) -> None:
    """Relayed signalling with 500 rooms on one process, and memory per room
    (bench/rooms.py)."""
    rooms.signalling(sizes=rooms.SMOKE if smoke else rooms.FULL)


def money(*, smoke: bool = False, browser: Any = None) -> None:
    """Checkout to a confirmed booking, and a ledger balance (bench/payments.py)."""
    payments.run(timed=timed, sizes=payments.SMOKE if smoke else payments.FULL)


def ledger_at_scale(*, smoke: bool = False, browser: Any = None) -> None:
    """A payment with 1,000 and 1,000,000 ledger entries in its currency, 50 payments at once
    (PostgreSQL), and one tick with 100,000 past engagements (bench/ledger.py)."""
    ledger.run(timed=timed, queries=queries, sizes=ledger.SMOKE if smoke else ledger.FULL)


BENCHMARKS: dict[str, Benchmark] = {
    "foundation": foundation,
    "mentor_search": search,
    "slots": slot_engine,
    "booking": booking_api,
    "techcheck": tech_check,
    "call": call,
    "signalling": signalling,
    "payments": money,
    "ledger": ledger_at_scale,
}
# The benchmarks that drive Chromium.
IN_BROWSER = ("techcheck", "call")
