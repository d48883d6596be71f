"""Secrets handed to people once (API tokens, calendar feed addresses) and kept as digests."""

import hashlib
import secrets


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)
