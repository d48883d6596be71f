"""Serves the platform for `make run`: the ASGI server, the background worker and the tick
(the time-based work) together.

Ctrl-C (or SIGTERM) stops all three; if one exits, the others are stopped too.
"""

import os
import signal
import subprocess
import sys
import time
from types import FrameType

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


def main() -> int:
    python = sys.executable
    commands = {
        "web": [
            python,
            "-m",
            "uvicorn",
            "mentor247.asgi:application",
            "--host",
            HOST,
            "--port",
            PORT,
            "--lifespan",
            "off",
        ],
        "worker": [python, "manage.py", "db_worker", "--interval", "1"],
        "tick": [python, "manage.py", "tick", "--every", "30"],
    }
    children = {name: subprocess.Popen(command) for name, command in commands.items()}  # noqa: S603
    print(
        f"mentor247 is running on http://{HOST}:{PORT}/ with its worker and tick. "
        "Ctrl-C stops them all."
    )

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(child.poll() is None for child in children.values()):
        time.sleep(0.2)
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children.values():
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())
