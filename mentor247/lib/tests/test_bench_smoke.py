"""Every benchmark of bench/ runs once in smoke mode on the test database, through the same
entry point as `python -m bench --smoke`: a change that breaks a benchmark (a model that needs
a new field, a domain function that changed) fails here instead of at the next `make bench`.
Nothing is timed or judged; a benchmark fails by raising, or by one of its own checks of what
it made. The database is committed to (transactional_db): the benchmarks use threads, server
threads and a server process, each with connections of their own."""

from typing import Any

import pytest

from bench.suite import BENCHMARKS, IN_BROWSER
from mentor247.conftest import _end_other_sessions

IN_PROCESS = [name for name in BENCHMARKS if name not in IN_BROWSER]


@pytest.fixture
def bench_settings(settings: Any) -> None:
    # The benchmarks' servers listen on loopback.
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]


@pytest.mark.parametrize("name", IN_PROCESS)
def test_benchmark_runs_in_smoke_mode(
    name: str, transactional_db: None, bench_settings: None, capsys: pytest.CaptureFixture[str]
) -> None:
    BENCHMARKS[name](smoke=True)
    printed = capsys.readouterr().out
    assert "ms" in printed, printed


@pytest.mark.parametrize("name", IN_BROWSER)
def test_browser_benchmark_runs_in_smoke_mode(
    name: str,
    transactional_db: None,
    bench_settings: None,
    chromium: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    try:
        BENCHMARKS[name](smoke=True, browser=chromium)
    finally:
        _end_other_sessions()
    printed = capsys.readouterr().out
    assert "median" in printed, printed
