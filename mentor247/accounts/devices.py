"""Devices a person has logged in from before.

Failed logins are limited per account, which an attacker could use to keep a real person out by
failing on purpose from elsewhere. A browser that has completed a login for an account carries
a signed cookie naming it; on such a device, failures count against that device alone, so an
attack from elsewhere never locks the owner out of their own computer.
"""

import hashlib
import secrets
from typing import TypedDict

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase

COOKIE = "known_device"
SALT = "mentor247.accounts.known-device"
MAX_AGE = 180 * 24 * 60 * 60


class KnownDevice(TypedDict):
    device: str
    account: str


def account_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def known_device(request: HttpRequest, email: str) -> str | None:
    """The device's id when this browser has logged in to `email`'s account before."""
    try:
        known: KnownDevice = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT)
    except signing.BadSignature:
        return None
    if known.get("account") != account_digest(email):
        return None
    return known.get("device")


def remember_device(request: HttpRequest, response: HttpResponseBase, email: str) -> None:
    device = known_device(request, email) or secrets.token_urlsafe(16)
    value = signing.dumps(KnownDevice(device=device, account=account_digest(email)), salt=SALT)
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
