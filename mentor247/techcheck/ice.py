"""ICE servers for the network test: STUN as configured, and TURN with credentials minted for
this person as for rooms (rooms.turn). A check needs them only while it runs, so they expire
soon."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from mentor247.accounts.models import User
from mentor247.rooms.turn import ice_servers_until

TURN_VALID_FOR = timedelta(minutes=10)


def browser_ice_servers(user: User, *, now: datetime) -> list[dict[str, Any]]:
    """The RTCIceServer list for `user`'s browser, as JSON."""
    return ice_servers_until(user, now + TURN_VALID_FOR)


def server_stun_urls() -> list[str]:
    """The server's own peer finds its public address through STUN if it has one; it never
    relays through TURN (the browser does, when it must)."""
    return list(settings.STUN_URLS)
