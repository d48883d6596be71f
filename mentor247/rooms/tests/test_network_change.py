"""A real network change in the middle of a call. The mentee's browser runs in a network
namespace of its own, joined to this machine by a veth pair, and its address is replaced
while the call goes on, as when a laptop moves from one network to another."""

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from mentor247.accounts.models import User
from mentor247.bookings.tests.conftest import make_bookable
from mentor247.conftest import CHROMIUM, CHROMIUM_ARGS, _visitor, serve
from mentor247.rooms.domain import room_for
from mentor247.rooms.models import Attendance
from mentor247.rooms.tests.conftest import session_now
from mentor247.rooms.tests.test_call_browser import (
    FRAMES,
    KEEP_CONNECTIONS,
    REMOTE_UFRAG,
    SETTLED,
    into_the_call,
    wait_for_frames,
)


@dataclass
class Namespace:
    name: str
    device: str
    host_address: str
    address: str

    def run(self, *command: str) -> None:
        subprocess.run(["ip", "netns", "exec", self.name, *command], check=True)

    def go_offline(self) -> None:
        """The namespace's address is gone, and with it every connection made from it."""
        self.run("ip", "addr", "del", f"{self.address}/24", "dev", self.device)

    def come_online(self, address: str) -> None:
        self.run("ip", "addr", "add", f"{address}/24", "dev", self.device)
        self.address = address


def ip(*command: str) -> None:
    subprocess.run(["ip", *command], check=True)


@pytest.fixture
def namespace() -> Iterator[Namespace]:
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("a network namespace needs root and iproute2")
    tag = os.getpid() % 100_000
    subnet = f"10.247.{os.getpid() % 250}"
    space = Namespace(f"m247-{tag}", f"m247n{tag}", f"{subnet}.1", f"{subnet}.2")
    host_device = f"m247h{tag}"
    ip("netns", "add", space.name)
    try:
        ip("link", "add", host_device, "type", "veth", "peer", "name", space.device)
        ip("link", "set", space.device, "netns", space.name)
        ip("addr", "add", f"{space.host_address}/24", "dev", host_device)
        ip("link", "set", host_device, "up")
        space.run("ip", "addr", "add", f"{space.address}/24", "dev", space.device)
        space.run("ip", "link", "set", space.device, "up")
        space.run("ip", "link", "set", "lo", "up")
        yield space
    finally:
        ip("netns", "del", space.name)  # takes the veth pair with it


# The address the connection's chosen pair of candidates reaches on the other side.
REMOTE_ADDRESS = """async () => {
  const stats = await window.connections[window.connections.length - 1].getStats();
  let pair = null;
  stats.forEach((s) => {
    if (s.type === "transport" && s.selectedCandidatePairId) {
      pair = stats.get(s.selectedCandidatePairId);
    }
  });
  return pair ? stats.get(pair.remoteCandidateId).address : null;
}"""


def test_the_call_survives_the_mentee_changing_network(
    chromium: Any,
    transactional_db: None,
    settings: Any,
    namespace: Namespace,
    tmp_path: Path,
    mentee: User,
) -> None:
    # The mentee's browser is started inside the namespace; Playwright speaks to it through
    # pipes, which do not cross the network.
    wrapper = tmp_path / "chromium-in-namespace"
    wrapper.write_text(f'#!/bin/sh\nexec ip netns exec {namespace.name} {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    bookable = make_bookable("max.mentor@example.com")
    booking = session_now(bookable.hour, mentee, starts_in=timedelta(minutes=10))
    room = room_for(booking)
    with contextlib.ExitStack() as stack, serve(settings, namespace.host_address) as url:
        # Camera and microphone need a secure origin; the platform's address here is plain HTTP.
        args = [*CHROMIUM_ARGS, f"--unsafely-treat-insecure-origin-as-secure={url}"]
        here = chromium.browser_type.launch(executable_path=CHROMIUM, args=args)
        stack.callback(here.close)
        there = chromium.browser_type.launch(executable_path=str(wrapper), args=args)
        stack.callback(there.close)
        tab = contextlib.contextmanager(_visitor)
        mentor = stack.enter_context(tab(here, url, locale="en-GB", timezone_id="Europe/Madrid"))
        mentee_tab = stack.enter_context(tab(there, url, locale="en-GB", timezone_id="UTC"))
        tabs = (mentor, mentee_tab)
        for each in tabs:
            each.page.add_init_script(KEEP_CONNECTIONS)
        into_the_call(mentor, mentee_tab, booking)
        assert mentor.page.evaluate(REMOTE_ADDRESS) == namespace.address
        before = [each.page.evaluate(REMOTE_UFRAG) for each in tabs]

        # The mentee's laptop leaves its network: its address is gone for good, and with it
        # the WebSocket's connection and the call's pair of addresses. The page finds its
        # socket silent and keeps trying to come back, however many tries fail meanwhile.
        namespace.go_offline()
        offline = mentee_tab.page.locator("#room[data-socket-state='reconnecting']")
        offline.wait_for(state="attached", timeout=30_000)
        time.sleep(15)
        assert mentee_tab.page.is_visible("#call")
        # It joins another network, with another address.
        new_address = namespace.address.rsplit(".", 1)[0] + ".3"
        namespace.come_online(new_address)

        # The mentee's page gives its silent socket up and comes back on a new one; ICE is
        # restarted with new credentials; the same call goes on over the new address.
        for each, ufrag in zip(tabs, before, strict=True):
            each.page.wait_for_function(SETTLED, arg=ufrag, timeout=30_000, polling=200)
        for each in tabs:
            wait_for_frames(each, each.page.evaluate(FRAMES) + 30)
            assert each.page.evaluate("() => window.connections.length") == 1
            assert each.page.get_attribute("#room", "data-socket-state") == "open"
        assert mentor.page.evaluate(REMOTE_ADDRESS) == new_address
        stays = Attendance.objects.filter(room=room, user=mentee)
        assert stays.count() == 2  # before and after the change of network
        assert stays.filter(left_at__isnull=True).count() == 1
