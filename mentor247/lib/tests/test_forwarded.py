"""Which address the platform takes for a client's: the connection's, unless it comes from a
proxy listed in FORWARDED_ALLOW_IPS. Seen through the login limit per address, with real
requests to the server `make run` and production start (mentor247.serve)."""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from django.conf import settings

from mentor247.conftest import free_port
from mentor247.lib.tests.test_settings import ROOT
from mentor247.rooms.tests.test_two_processes import database_url

LOGIN = "/accounts/login/"
TOO_MANY = "Too many failed login attempts"


def served(*arguments: str, **env: str) -> Iterator[str]:
    """`python -m mentor247.serve` with `arguments` on a free loopback port, with `env` and
    no SITE_URL, over the test database: the server's address once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mentor247.serve", *arguments],
        cwd=ROOT,
        env={
            **{name: value for name, value in os.environ.items() if name != "SITE_URL"},
            "DATABASE_URL": database_url(),
            "VAR_DIR": str(settings.VAR_DIR),
            "HOST": "127.0.0.1",
            "PORT": str(port),
            **env,
        },
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + LOGIN, timeout=2):  # noqa: S310 - ours
                    break
            except OSError:
                assert server.poll() is None, "the server stopped"
                assert time.monotonic() < deadline, f"{url} did not answer"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def failed_logins_claiming_other_addresses(url: str, count: int) -> list[str]:
    """`count` failed logins from this machine, each with an X-Forwarded-For header naming
    another client and each for another account: the pages answered."""
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with browser.open(url + LOGIN, timeout=10) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    pages = []
    for number in range(count):
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token[1],
                "login": f"guess{number}@example.com",
                "password": "not-the-password",
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - our own server
            url + LOGIN,
            data=body,
            headers={"X-Forwarded-For": f"198.51.100.{number + 1}", "Referer": url + LOGIN},
        )
        with browser.open(request, timeout=30) as response:
            pages.append(response.read().decode())
    return pages


@pytest.mark.usefixtures("transactional_db")
def test_a_client_cannot_choose_its_address_with_x_forwarded_for() -> None:
    for url in served("web"):
        *first, last = failed_logins_claiming_other_addresses(url, 11)
        assert [TOO_MANY in page for page in first] == [False] * 10
        assert TOO_MANY in last  # all eleven counted against the connection's address


@pytest.mark.usefixtures("transactional_db")
def test_a_listed_proxy_names_the_client() -> None:
    for url in served("web", FORWARDED_ALLOW_IPS="127.0.0.1"):
        pages = failed_logins_claiming_other_addresses(url, 11)
        # Each attempt counted against the client the proxy named: none reached the limit.
        assert [TOO_MANY in page for page in pages] == [False] * 11
