"""`make run`'s server: the ASGI server, the worker and the tick start together and stop
together."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mentor247.conftest import free_port
from mentor247.lib.tests.test_settings import ROOT


def children_of(pid: int) -> dict[int, str]:
    """pid → command line of each process whose parent is `pid` (Linux's /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                command = (stat.parent / "cmdline").read_bytes().split(b"\0")
                found[int(stat.parent.name)] = " ".join(part.decode() for part in command[1:3])
        except (OSError, IndexError, ValueError):
            continue
    return found


def descendants_of(pid: int) -> list[int]:
    children = list(children_of(pid))
    return children + [grandchild for child in children for grandchild in descendants_of(child)]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="make run serves SQLite")
def test_serve_runs_the_web_server_the_worker_and_the_tick_and_ctrl_c_stops_them(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "VAR_DIR": str(tmp_path), "PORT": str(free_port())}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    serve = subprocess.Popen(
        [sys.executable, "-m", "mentor247.serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{env['PORT']}/"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.3)
        children = children_of(serve.pid)
        assert sorted(children.values()) == ["-m uvicorn", "manage.py db_worker", "manage.py tick"]

        time.sleep(1)  # the worker's reloader starts the worker itself
        everything = descendants_of(serve.pid)
        assert len(everything) >= 2

        serve.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert serve.wait(timeout=30) == 0
        time.sleep(0.5)
        assert [pid for pid in everything if alive(pid)] == []
    finally:
        if serve.poll() is None:
            serve.kill()
