import threading

import pytest
from django.db import connection, transaction

from mentor247.policies.models import Policy, PolicyKind, PolicyVersion

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's locking; PostgreSQL uses row locks"
)


@sqlite_only
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.transaction_mode == "IMMEDIATE"  # type: ignore[attr-defined]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_sqlite_writers_wait_instead_of_failing() -> None:
    """Each writer reads the highest version number and writes the next: without the write
    lock taken at the start, two would read the same number or fail with "locked"."""
    policy = Policy.objects.get(kind=PolicyKind.TERMS)
    writers, rounds = 8, 10
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write() -> None:
        try:
            start.wait()
            for _ in range(rounds):
                with transaction.atomic():
                    latest = PolicyVersion.objects.filter(policy=policy).order_by("-number")[0]
                    PolicyVersion.objects.create(
                        policy=policy, number=latest.number + 1, text=f"v{latest.number + 1}"
                    )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = list(PolicyVersion.objects.filter(policy=policy).values_list("number", flat=True))
    assert sorted(numbers) == list(range(1, writers * rounds + 2))
