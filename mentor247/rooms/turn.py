"""ICE servers for a participant of a room: STUN as configured, and TURN with credentials
minted for this person and this room's time, from the secret shared with the TURN server
(coturn's REST scheme: the username is "<expiry as POSIX seconds>:<user id>", the password
the base64 of HMAC-SHA1 of the username under the secret)."""

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.rooms import rules


def ice_servers(booking: Booking, user: User) -> list[dict[str, Any]]:
    """What `user`'s browser may use to reach the other side; refused outside the room's
    time, and the TURN credentials expire when the room closes."""
    if user.pk not in (booking.mentee_id, booking.mentor.user_id):
        raise ValidationError(_("Only the session's two people enter its room."), code="party")
    if not rules.is_open(booking.starts_at, booking.ends_at, timezone.now()):
        raise ValidationError(_("The room is not open now."), code="closed")
    return ice_servers_until(user, rules.closes_at(booking.ends_at))


def ice_servers_until(user: User, expires: datetime) -> list[dict[str, Any]]:
    """The RTCIceServer list for `user`'s browser: STUN as configured, and TURN with
    credentials that expire at `expires`."""
    servers: list[dict[str, Any]] = []
    if settings.STUN_URLS:
        servers.append({"urls": list(settings.STUN_URLS)})
    if settings.TURN_URLS and settings.TURN_SECRET:
        username = f"{int(expires.timestamp())}:{user.pk}"
        digest = hmac.new(settings.TURN_SECRET.encode(), username.encode(), hashlib.sha1)
        servers.append(
            {
                "urls": list(settings.TURN_URLS),
                "username": username,
                "credential": base64.b64encode(digest.digest()).decode(),
            }
        )
    return servers
