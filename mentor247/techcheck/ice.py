"""ICE servers for the network test: STUN as configured, and TURN with credentials minted for
this person (coturn's REST scheme, as for rooms: the username is "<expiry as POSIX
seconds>:<user id>", the password the base64 of HMAC-SHA1 of the username under the secret).
A check needs them only while it runs, so they expire soon."""

import base64
import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from mentor247.accounts.models import User

TURN_VALID_FOR = timedelta(minutes=10)


def browser_ice_servers(user: User, *, now: datetime) -> list[dict[str, Any]]:
    """The RTCIceServer list for `user`'s browser, as JSON."""
    servers: list[dict[str, Any]] = []
    if settings.STUN_URLS:
        servers.append({"urls": list(settings.STUN_URLS)})
    if settings.TURN_URLS and settings.TURN_SECRET:
        username = f"{int((now + TURN_VALID_FOR).timestamp())}:{user.pk}"
        digest = hmac.new(settings.TURN_SECRET.encode(), username.encode(), hashlib.sha1)
        servers.append(
            {
                "urls": list(settings.TURN_URLS),
                "username": username,
                "credential": base64.b64encode(digest.digest()).decode(),
            }
        )
    return servers


def server_stun_urls() -> list[str]:
    """The server's own peer finds its public address through STUN if it has one; it never
    relays through TURN (the browser does, when it must)."""
    return list(settings.STUN_URLS)
