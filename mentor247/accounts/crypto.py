"""Encryption of two-factor secrets at rest (the TOTP key and the recovery codes' seed):
Fernet under the keys of settings.TWO_FACTOR_KEYS, the first of which encrypts.

It fails closed: a value no key opens (a key removed too soon, an altered row, or a secret
never encrypted) raises SecretUnreadable, and is never used as it stands.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac


class SecretUnreadable(Exception):
    """No key in TWO_FACTOR_KEYS opens this value."""


def _keys() -> list[bytes]:
    if settings.TWO_FACTOR_KEYS:
        return [key.encode() for key in settings.TWO_FACTOR_KEYS]
    # Development only (production refuses to start without TWO_FACTOR_KEYS): a key derived
    # from SECRET_KEY, apart from the notes' own.
    digest = salted_hmac(
        "mentor247.accounts.two_factor", "", secret=settings.SECRET_KEY, algorithm="sha256"
    )
    return [base64.urlsafe_b64encode(digest.digest())]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def encrypt_secret(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt_secret(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable from error


def is_encrypted(value: str) -> bool:
    """Whether a key of TWO_FACTOR_KEYS opens `value`."""
    try:
        decrypt_secret(value)
    except SecretUnreadable:
        return False
    return True


def rotate_secret(token: str) -> str:
    """`token` encrypted again under the first key (raises SecretUnreadable as
    decrypt_secret does)."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable from error
