"""Serves the platform for `make run`: the ASGI server, the background worker and the tick
(the time-based work) together.

Ctrl-C (or SIGTERM) stops all three; if one exits, the others are stopped too.
`python -m mentor247.serve web` runs the ASGI server alone, as production does beside its
worker and tick.

The server listens on settings.HOST and settings.PORT, and takes X-Forwarded-For and
X-Forwarded-Proto only from the proxies in settings.FORWARDED_ALLOW_IPS: uvicorn's own default
trusts them from loopback, where any other program on the machine (or a proxy that passes the
client's header on) could choose the address the platform sees, and so escape the login limits.
"""

import os
import signal
import subprocess
import sys
import time
from types import FrameType


def web_command() -> list[str]:
    """uvicorn serving the ASGI application as the settings say."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentor247.settings")
    # Imported here, once DJANGO_SETTINGS_MODULE is set.
    from django.conf import settings

    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "mentor247.asgi:application",
        "--host",
        settings.HOST,
        "--port",
        str(settings.PORT),
        "--lifespan",
        "off",
    ]
    if settings.FORWARDED_ALLOW_IPS:
        return [*command, "--forwarded-allow-ips", ",".join(settings.FORWARDED_ALLOW_IPS)]
    return [*command, "--no-proxy-headers"]


def main(arguments: list[str]) -> int:
    if arguments == ["web"]:
        web = web_command()
        os.execv(web[0], web)  # noqa: S606 - the ASGI server in this process's place
    if arguments:
        print("usage: python -m mentor247.serve [web]", file=sys.stderr)
        return 2
    python = sys.executable
    commands = {
        "web": web_command(),
        "worker": [python, "manage.py", "db_worker", "--interval", "1"],
        "tick": [python, "manage.py", "tick", "--every", "30"],
    }
    children = {name: subprocess.Popen(command) for name, command in commands.items()}  # noqa: S603
    # Imported here, once web_command() has set DJANGO_SETTINGS_MODULE.
    from django.conf import settings

    print(
        f"mentor247 is running on {settings.SITE_URL}/ with its worker and tick. "
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
    sys.exit(main(sys.argv[1:]))
