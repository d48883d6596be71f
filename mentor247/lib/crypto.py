"""Encryption at rest: Fernet (AES-128-CBC with HMAC-SHA256) under a ring of keys kept in a
setting, the first of which encrypts and all of which decrypt, so a new key goes first and the
old ones are rotated away. Notes, in-call chat and wrap-ups use NOTES_KEYS (the functions of
this module); two-factor secrets use TWO_FACTOR_KEYS (accounts.crypto).

It fails closed: a value no key opens raises the ring's Unreadable; it is never shown as
ciphertext, nor saved again over what it held.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac


class Unreadable(Exception):
    """No key of the ring opens this value (a key was removed too soon, or it was altered)."""


class KeyRing:
    """The keys of the setting named `setting`. In development, where that setting may be
    empty (production refuses to start so), one key derived from SECRET_KEY and `purpose`, so
    that no two rings share a key. Failures raise `unreadable`."""

    def __init__(self, setting: str, purpose: str, unreadable: type[Unreadable]) -> None:
        self.setting = setting
        self.purpose = purpose
        self.unreadable = unreadable

    def _fernet(self) -> MultiFernet:
        keys = [key.encode() for key in getattr(settings, self.setting)]
        if not keys:
            digest = salted_hmac(self.purpose, "", secret=settings.SECRET_KEY, algorithm="sha256")
            keys = [base64.urlsafe_b64encode(digest.digest())]
        return MultiFernet([Fernet(key) for key in keys])

    def encrypt(self, text: str) -> str:
        return self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet().decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise self.unreadable from error

    def rotate(self, token: str) -> str:
        """`token` encrypted again under the first key (raises as decrypt does)."""
        try:
            return self._fernet().rotate(token.encode()).decode()
        except InvalidToken as error:
            raise self.unreadable from error

    def opens(self, token: str) -> bool:
        try:
            self.decrypt(token)
        except Unreadable:
            return False
        return True


class NoteUnreadable(Unreadable):
    """No key in NOTES_KEYS opens this note."""


NOTES = KeyRing("NOTES_KEYS", "mentor247.notes", NoteUnreadable)
encrypt = NOTES.encrypt
decrypt = NOTES.decrypt
rotate = NOTES.rotate
