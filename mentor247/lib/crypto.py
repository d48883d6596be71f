"""Encryption of notes at rest: Fernet (AES-128-CBC with HMAC-SHA256) under the keys of
settings.NOTES_KEYS, the first of which encrypts.

It fails closed: a note no key opens raises NoteUnreadable; it is never shown as ciphertext,
nor saved again over what it held.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac


class NoteUnreadable(Exception):
    """No key in NOTES_KEYS opens this note (a key was removed too soon, or the text was
    altered)."""


def _keys() -> list[bytes]:
    if settings.NOTES_KEYS:
        return [key.encode() for key in settings.NOTES_KEYS]
    # Development only (production refuses to start without NOTES_KEYS): a key derived from
    # SECRET_KEY.
    digest = salted_hmac("mentor247.notes", "", secret=settings.SECRET_KEY, algorithm="sha256")
    return [base64.urlsafe_b64encode(digest.digest())]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise NoteUnreadable from error


def rotate(token: str) -> str:
    """`token` encrypted again under the first key (raises NoteUnreadable as decrypt does)."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise NoteUnreadable from error
