"""Encryption of two-factor secrets at rest (the TOTP key and the recovery codes' seed): a
lib.crypto key ring under settings.TWO_FACTOR_KEYS, apart from the notes' keys.

It fails closed: a value no key opens (a key removed too soon, an altered row, or a secret
never encrypted) raises SecretUnreadable, and is never used as it stands.
"""

from mentor247.lib.crypto import KeyRing, Unreadable


class SecretUnreadable(Unreadable):
    """No key in TWO_FACTOR_KEYS opens this value."""


TWO_FACTOR = KeyRing("TWO_FACTOR_KEYS", "mentor247.accounts.two_factor", SecretUnreadable)
encrypt_secret = TWO_FACTOR.encrypt
decrypt_secret = TWO_FACTOR.decrypt
rotate_secret = TWO_FACTOR.rotate
is_encrypted = TWO_FACTOR.opens
