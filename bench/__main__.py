"""Benchmarks that print figures: `make bench` (or `python -m bench`) runs them all;
`python -m bench mentor_search` runs the ones named.

Runs against a scratch SQLite database under var/ unless BENCH_DATABASE_URL names another.
"""

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentor247.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench import booking, ledger, mentor_search, payments, rooms, slots, techcheck  # noqa: E402
from mentor247.accounts.models import User  # noqa: E402
from mentor247.policies.queries import has_pending, pending_versions  # noqa: E402


def timed(action: Callable[[], object], *, rounds: int) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def queries(action: Callable[[], object]) -> int:
    settings.DEBUG = True
    reset_queries()
    action()
    count = len(connection.queries)
    settings.DEBUG = False
    return count


def foundation() -> None:
    """Request cost of the foundation: pages and the per-request policy check."""
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.ALLOWED_HOSTS = ["testserver"]
    mentor = User.objects.get(email="amara@mentor247.test")
    visitor, member = Client(), Client()
    member.force_login(mentor)

    rows = [
        ("home page, visitor", lambda: visitor.get("/"), 300),
        ("home page, logged-in mentor", lambda: member.get("/"), 300),
        ("mentor area (policy check + page)", lambda: member.get("/mentor/"), 300),
        ("has_pending(mentor), every request", lambda: has_pending(mentor), 1000),
        ("pending_versions(mentor)", lambda: pending_versions(mentor), 1000),
        ("password hash (Argon2, login cost)", lambda: make_password("a-long-password"), 30),
    ]
    print(f"database: {connection.vendor}")
    print(f"{'what':<38} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, action, rounds in rows:
        response = action()  # warm caches and compiled templates
        assert getattr(response, "status_code", 200) == 200, name
        median, p95 = timed(action, rounds=rounds)
        print(f"{name:<38} {median:>10.2f} {p95:>8.2f} {queries(action):>8}")


def search() -> None:
    """The mentor directory's search over 100,000 mentors (bench/mentor_search.py)."""
    mentor_search.run(timed=timed, queries=queries)


def slot_engine() -> None:
    """The slot engine in process (bench/slots.py)."""
    slots.run(timed=timed)


def booking_api() -> None:
    """The open-times API of a busy mentor, and a race for one time (bench/booking.py)."""
    booking.run(timed=timed)


def tech_check() -> None:
    """The tech check from start to verdict in headless Chromium (bench/techcheck.py)."""
    techcheck.run()


def call() -> None:
    """Join to first remote video frame in headless Chromium (bench/rooms.py)."""
    rooms.call()


def signalling() -> None:
    """Relayed signalling with 500 rooms on one process, and memory per room
    (bench/rooms.py)."""
    rooms.signalling()


def money() -> None:
    """Checkout to a confirmed booking, and a ledger balance (bench/payments.py)."""
    payments.run(timed=timed)


def ledger_at_scale() -> None:
    """A payment with 1,000 and 1,000,000 ledger entries in its currency, 50 payments at once
    (PostgreSQL), and one tick with 100,000 past engagements (bench/ledger.py)."""
    ledger.run(timed=timed, queries=queries)


BENCHMARKS: dict[str, Callable[[], None]] = {
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


def main() -> None:
    names = sys.argv[1:] or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    for name in names:
        BENCHMARKS[name]()


if __name__ == "__main__":
    main()
