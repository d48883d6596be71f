"""The tick: all of the platform's time-based work, in one pass that the worker runs every
minute (`manage.py tick --every 60`, which `make run` starts) or a scheduler runs once
(`manage.py tick`). Each step reads only what is due (by indexes on what makes it due), at
most a bounded number of rows per run, and is safe to run twice at once: two ticks on two
machines do each piece of work once. A step that fails is logged and the others still run.
It sits above every app, as the URLs do."""

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from mentor247.bookings import domain as bookings
from mentor247.payments import domain as payments
from mentor247.payments.verify import check_daily
from mentor247.rooms import domain as rooms

logger = logging.getLogger(__name__)


def _count(result: object) -> int:
    if isinstance(result, int):
        return result
    if isinstance(result, tuple):
        return sum(result)
    if isinstance(result, dict):
        return sum(result.values())
    return int(result is not None)


STEPS: list[tuple[str, Callable[[datetime], object]]] = [
    ("holds", lambda now: bookings.release_expired_holds()),
    ("attendance", lambda now: rooms.judge_attendance(now)),
    ("settlement", lambda now: payments.settle_due_sessions()),
    ("engagements", lambda now: payments.end_engagements()),
    ("reconciliation", lambda now: payments.reconcile(now=now)),
    ("payouts", lambda now: payments.run_weekly_payouts(now)),
    ("ledger", lambda now: check_daily(now)),
    ("idempotency", lambda now: bookings.forget_idempotency_keys(now)),
]


def tick(now: datetime | None = None) -> dict[str, int]:
    """Runs every step once; how much each did (-1 for a step that failed)."""
    now = now or timezone.now()
    done: dict[str, int] = {}
    for name, step in STEPS:
        try:
            done[name] = _count(step(now))
        except Exception:
            logger.exception("the tick's %s step failed", name)
            done[name] = -1
    return done
