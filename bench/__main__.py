"""Benchmarks that print figures: `make bench` (or `python -m bench`) runs them all;
`python -m bench mentor_search` runs the ones named; `python -m bench --smoke` runs them in
smoke mode (one small round each, nothing judged: see bench/suite.py).

A full run uses a scratch SQLite database under var/ (bench.sqlite3), smoke mode another
(bench-smoke.sqlite3), so that a smoke run never trims the data a full run made;
BENCH_DATABASE_URL names another database for either.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMOKE = "--smoke" in sys.argv[1:]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentor247.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL",
    f"sqlite:///{ROOT / 'var' / ('bench-smoke.sqlite3' if SMOKE else 'bench.sqlite3')}",
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.suite import BENCHMARKS  # noqa: E402


def main() -> None:
    names = [name for name in sys.argv[1:] if name != "--smoke"] or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    for name in names:
        BENCHMARKS[name](smoke=SMOKE)


if __name__ == "__main__":
    main()
