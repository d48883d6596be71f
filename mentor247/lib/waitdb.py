"""Waits briefly for a database named by URL and fails clearly when it cannot be reached.

Usage: python -m mentor247.lib.waitdb postgresql://user@host:port/name
"""

import sys
import time

import dj_database_url
import psycopg


def wait_for(url: str, *, seconds: float = 10.0) -> None:
    config = dj_database_url.parse(url)
    deadline = time.monotonic() + seconds
    while True:
        try:
            psycopg.connect(
                host=config["HOST"] or None,
                port=config["PORT"] or None,
                user=config["USER"] or None,
                password=config["PASSWORD"] or None,
                dbname=config["NAME"],
                connect_timeout=2,
            ).close()
            return
        except psycopg.OperationalError as error:
            if time.monotonic() > deadline:
                raise SystemExit(f"PostgreSQL at {url} cannot be reached: {error}") from error
            time.sleep(0.5)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    wait_for(sys.argv[1])
