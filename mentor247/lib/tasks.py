"""Queueing background work from domain functions."""

from datetime import datetime
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, run_after: datetime | None = None) -> None:
    """Queues `task` once the current transaction commits, to run no earlier than
    `run_after`. A backend that cannot wait (the immediate one of the tests) runs it at once:
    every task queued this way is a sweep that is safe to run early or twice."""
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    transaction.on_commit(lambda: task.enqueue(*args))
