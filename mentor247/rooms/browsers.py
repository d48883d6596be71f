"""What kind of device a browser runs on, from its request headers: User-Agent Client Hints
first (`Sec-CH-UA-Mobile`), then the User-Agent string. A tablet's browser often claims to be
a computer, so "computer" means "not found to be a phone or a tablet"."""

import re
from collections.abc import Mapping

PHONE, TABLET, COMPUTER = "phone", "tablet", "computer"

_TABLET = re.compile(r"iPad|Tablet|Kindle|Silk|PlayBook|Nexus (7|9|10)\b", re.IGNORECASE)
_PHONE = re.compile(r"Mobi|iPhone|iPod|Android|Windows Phone|BlackBerry", re.IGNORECASE)


def device_type(headers: Mapping[str, str]) -> str:
    """`headers` maps names to values: lower-case names, or a request's `headers`, which
    ignore case."""
    agent = headers.get("user-agent", "")
    mobile_hint = headers.get("sec-ch-ua-mobile", "").strip()
    if mobile_hint == "?1":
        return PHONE
    if _TABLET.search(agent):
        return TABLET
    if mobile_hint == "?0":
        # Android tablets say "not mobile" and leave "Mobile" out of their user agent.
        return TABLET if "Android" in agent else COMPUTER
    if "Android" in agent and "Mobile" not in agent:
        return TABLET
    return PHONE if _PHONE.search(agent) else COMPUTER


def asgi_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """An ASGI scope's headers as `device_type` takes them."""
    return {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in raw}
