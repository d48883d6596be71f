"""Fixtures shared by every test: personas, a real SMTP server, the ASGI server, and Chromium."""

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import django.utils.asyncio
import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt as mfa_encrypt
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from django.utils.text import slugify

from mentor247.accounts.models import User
from mentor247.lib.languages import Proficiency
from mentor247.mentors.listing import refresh_listing
from mentor247.mentors.models import Expertise, MentorLanguage, MentorProfile, Offering
from mentor247.policies.domain import accept_versions
from mentor247.policies.queries import pending_versions

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--disable-quic",
]
ARTEFACTS = Path(django_settings.VAR_DIR) / "test-artefacts"
TWO_FACTOR_PATH = "/accounts/2fa/authenticate/"
PASSWORD = "a-Long-and-unusual-passphrase-247"  # noqa: S105 - the test personas' password
# The authenticator app of personas with two-factor authentication on (every staff persona).
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - tests only


@pytest.fixture(autouse=True)
def _fast_and_inline(settings: Any) -> None:
    # Hashing at production cost makes every login a quarter of a second; tests need many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run as they are enqueued; lib/tests/test_services.py runs the database
    # worker itself.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Uploaded photos land in a folder of the test run's own.
    settings.MEDIA_ROOT = Path(django_settings.VAR_DIR) / "test-media"


@pytest.fixture(autouse=True)
def _default_language() -> None:
    # A request through the test client leaves its language active in this thread, as any
    # request does in a server's; each test starts from the default.
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield


# Personas ------------------------------------------------------------------------------------


def make_user(
    email: str,
    *,
    name: str = "",
    mentor: bool = False,
    staff: bool = False,
    accept: bool = True,
    two_factor: bool | None = None,
) -> User:
    """A person with a verified address; staff have two-factor authentication on (with
    STAFF_TOTP_SECRET) unless `two_factor` says otherwise, since staff pages need it."""
    user = User.objects.create_user(
        email,
        PASSWORD,
        name=name or email.split("@")[0].title(),
        is_staff=staff,
        is_superuser=staff,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if staff if two_factor is None else two_factor:
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.TOTP,
            data={"secret": mfa_encrypt(STAFF_TOTP_SECRET)},
        )
    if mentor:
        make_profile(user, accept=False)
    if accept:
        accept_versions(user, pending_versions(user), ip_address="127.0.0.1", user_agent="tests")
    return user


def logged_in(user: User) -> Client:
    """A client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def staff_client(user: User) -> Client:
    """A client logged in as staff `user` the way allauth's login leaves them after its
    two-factor step: the session records the TOTP code given, which staff pages ask for."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "mfa", "at": time.time(), "type": "totp"}
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def make_profile(
    user: User,
    *,
    status: str = MentorProfile.Status.APPROVED,
    headline: str = "Product management, from first job to head of product",
    bio: str = "Fifteen years in product teams; I mentor new and aspiring product managers.",
    expertise: tuple[str, ...] = ("Product management",),
    languages: tuple[tuple[str, int], ...] = (("en", Proficiency.NATIVE),),
    country: str = "GB",
    time_zone: str = "Europe/London",
    currency: str = "EUR",
    prices: tuple[int, ...] = (6000,),
    accept: bool = True,
) -> MentorProfile:
    """A mentor profile written straight to the database (applying and deciding are tested
    through the domain), with one single-session offering per price."""
    profile = MentorProfile.objects.create(
        user=user,
        status=status,
        headline=headline,
        bio=bio,
        years_of_experience=10,
        country=country,
        time_zone=time_zone,
        currency=currency,
        applied_at=timezone.now(),
    )
    for name in expertise:
        tag, _created = Expertise.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        profile.expertise.add(tag)
    for code, level in languages:
        MentorLanguage.objects.create(profile=profile, language=code, proficiency=level)
    for price in prices:
        Offering.objects.create(
            profile=profile,
            title=f"One hour on {expertise[0].lower()}",
            description="We work on what matters to you now.",
            session_count=1,
            session_minutes=60,
            price=price,
            currency=currency,
            plan=["Where you are and where you want to go"],
            expected_results="A clear next step.",
            not_included="Doing the work for you.",
            created_at=timezone.now(),
        )
    profile.lowest_price = min(prices) if prices else None
    profile.save(update_fields=["lowest_price"])
    refresh_listing([profile.pk])
    if accept:
        accept_versions(user, pending_versions(user), ip_address="127.0.0.1", user_agent="tests")
    return profile


@pytest.fixture
def mentee(db: None) -> User:
    return make_user("mia.mentee@example.com", name="Mia Mentee")


@pytest.fixture
def mentor(db: None) -> User:
    return make_user("max.mentor@example.com", name="Max Mentor", mentor=True)


@pytest.fixture
def staff(db: None) -> User:
    return make_user("sue.staff@example.com", name="Sue Staff", staff=True)


@pytest.fixture
def stranger(db: None) -> User:
    return make_user("sid.stranger@example.com", name="Sid Stranger")


# A real SMTP server on loopback --------------------------------------------------------------


@dataclass
class Outbox:
    messages: list[Message] = field(default_factory=list)

    def wait_for(self, to: str, *, timeout: float = 10.0) -> Message:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if to in message["To"]:
                    return message
            time.sleep(0.05)
        raise AssertionError(f"no email to {to} arrived; got {[m['To'] for m in self.messages]}")


class _Collector:
    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.outbox.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_outbox(settings: Any) -> Iterator[Outbox]:
    """Email is sent over SMTP to a server listening on loopback, and collected here."""
    outbox = Outbox()
    controller = Controller(_Collector(outbox), hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield outbox
    finally:
        controller.stop()


def message_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("the email has no text part")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def race(*calls: Callable[[], object]) -> list[object]:
    """Runs `calls` in threads of their own, each on its own connection, all released at
    once; returns what each returned or raised."""
    results: list[object] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            start.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


# Redis ----------------------------------------------------------------------------------------


def redis_url() -> str:
    """The Redis database for tests; CI must have one, elsewhere its absence skips."""
    import redis

    url = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("CI") or os.environ.get("TEST_REDIS_URL"):
            raise
        pytest.skip(f"no Redis at {url}")
    return url


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request: Any, settings: Any) -> Iterator[str]:
    """Runs a test with the in-process cache and again with the shared Redis cache."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url(),
                "KEY_PREFIX": f"test-{uuid.uuid4()}",
            }
        }
    yield request.param
    from django.core.cache import cache

    cache.clear()


# The ASGI server and the browser -------------------------------------------------------------


@pytest.fixture
def asgi_server(transactional_db: None, settings: Any) -> Iterator[str]:
    """Serves mentor247's ASGI application (HTTP and WebSocket) with uvicorn on a free port."""
    with serve(settings, "127.0.0.1") as url:
        yield url


@contextlib.contextmanager
def serve(settings: Any, host: str) -> Iterator[str]:
    """uvicorn serving the ASGI application in a thread, on a free port of `host` (an address
    of this machine): the address to open."""
    import uvicorn

    from mentor247.asgi import build_application

    port = free_port()
    settings.ALLOWED_HOSTS = [host]
    config = uvicorn.Config(
        build_application(), host=host, port=port, lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the ASGI server did not start")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        _end_other_sessions()


@contextlib.contextmanager
def server_process(env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """uvicorn serving the ASGI application in a process of its own, with `env`, on a free
    loopback port: its address once it answers, and the process."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            *(sys.executable, "-m", "uvicorn", "mentor247.asgi:application"),
            *("--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"),
            *("--log-level", "warning"),
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2):  # noqa: S310 - our own server
                    break
            except OSError:
                assert time.monotonic() < deadline, f"{url} did not answer"
                time.sleep(0.2)
        yield url, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still closing its sockets: enough
            server.kill()
            server.wait()


def _end_other_sessions() -> None:
    """Ends the server threads' database sessions, which a request still running when the
    server stopped can leave open: PostgreSQL refuses to drop a database anyone is using."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session")
def chromium(django_db_setup: None) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"The browser tests need Chromium at {CHROMIUM} (make test installs it).")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setattr(django.utils.asyncio, "get_running_loop", _loop_outside_the_test_thread)
        # HEADED=1 (under a display, e.g. xvfb-run) shows the windows.
        headless = os.environ.get("HEADED") != "1"
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=headless
        )
        yield browser
        browser.close()


def _loop_outside_the_test_thread() -> asyncio.AbstractEventLoop:
    """Django refuses ORM calls from a thread running an event loop. Playwright's sync API
    keeps one in the test thread, where the tests' ORM calls are plain synchronous calls, so
    the check is lifted there, and only there: the server's threads keep it, so async code in
    the application that calls the ORM still fails in the tests as it would in production."""
    if threading.current_thread() is threading.main_thread():
        raise RuntimeError("no running event loop")
    return asyncio.get_running_loop()


@dataclass
class Visitor:
    """A browser tab that checks every page it lands on with axe-core and for CSP violations."""

    page: Any
    base_url: str
    loaded: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    csp_violations: list[str] = field(default_factory=list)
    running_axe: bool = False

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.url(path))
        self.check()
        return response

    def check(self) -> None:
        """Runs axe-core on the current page: no serious or critical violations allowed."""
        from axe_playwright_python.sync_playwright import Axe

        self.page.wait_for_load_state("load")
        # axe-core itself builds probe elements with style attributes, which the page's CSP
        # rightly refuses; those reports are axe's, not the page's, so they are set aside.
        self.running_axe = True
        try:
            results = Axe().run(self.page)
            self.page.evaluate("0")  # lets the console reports of the run arrive first
        finally:
            self.running_axe = False
        serious = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"at {[node['target'] for node in violation['nodes']]}"
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert serious == [], f"accessibility violations on {self.page.url}: {serious}"
        self.checked.add(self.path(self.page.url))

    def submit(self, selector: str, *, expect_path: str | None = None) -> None:
        """Clicks a submit button, waits for the page it leads to, and checks that page."""
        with self.page.expect_navigation():
            self.page.click(selector)
        if expect_path is not None:
            assert self.path(self.page.url) == expect_path
        self.check()

    def log_in(self, email: str, password: str = PASSWORD, *, expect_path: str = "/") -> None:
        """Logs in with the password, and for a persona with two-factor authentication on
        (STAFF_TOTP_SECRET) with a code as well, unless `expect_path` is that second step."""
        self.goto("/accounts/login/")
        self.page.fill("input[name=login]", email)
        self.page.fill("input[name=password]", password)
        self.submit("main form button[type=submit]")
        if self.path(self.page.url) == TWO_FACTOR_PATH != expect_path:
            import pyotp

            self.page.fill("input[name=code]", pyotp.TOTP(STAFF_TOTP_SECRET).now())
            self.submit("main form button[type=submit]")
        assert self.path(self.page.url) == expect_path

    @staticmethod
    def path(url: str) -> str:
        return urlsplit(url).path

    def screenshot(self, name: str) -> None:
        # One folder per engine, so the run on one does not overwrite the other's.
        folder = ARTEFACTS / connection.vendor
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=folder / f"{name}.png", full_page=True)


def _visitor(chromium: Any, base_url: str, **context_options: Any) -> Iterator[Visitor]:
    context = chromium.new_context(**context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    visitor = Visitor(page=page, base_url=base_url)
    page.on("load", lambda: visitor.loaded.append(Visitor.path(page.url)))

    def note_csp_violation(message: Any) -> None:
        if "Content Security Policy" in message.text and not visitor.running_axe:
            where = f"{message.location.get('url')}:{message.location.get('lineNumber')}"
            visitor.csp_violations.append(f"{page.url}: {message.text} ({where})")

    page.on("console", note_csp_violation)
    try:
        yield visitor
        assert visitor.csp_violations == [], visitor.csp_violations
        unchecked = sorted(set(visitor.loaded) - visitor.checked)
        assert unchecked == [], f"pages loaded but never checked with axe-core: {unchecked}"
    finally:
        context.close()


@pytest.fixture
def visitor(chromium: Any, asgi_server: str) -> Iterator[Visitor]:
    yield from _visitor(chromium, asgi_server, locale="en-GB", timezone_id="Europe/Madrid")


@pytest.fixture
def phone_visitor(chromium: Any, asgi_server: str) -> Iterator[Visitor]:
    yield from _visitor(
        chromium,
        asgi_server,
        locale="en-GB",
        timezone_id="America/New_York",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Browser tests are the ones that use a visitor: mark them so a run can leave them out, and
    run them last, since Playwright keeps an event loop in the main thread once started."""
    browser = []
    for item in items:
        if {"visitor", "phone_visitor", "chromium"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
            browser.append(item)
    items[:] = [item for item in items if item not in browser] + browser


__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "PASSWORD",
    "STAFF_TOTP_SECRET",
    "Outbox",
    "Visitor",
    "logged_in",
    "make_user",
    "message_text",
    "race",
    "redis_url",
    "serve",
    "staff_client",
]
