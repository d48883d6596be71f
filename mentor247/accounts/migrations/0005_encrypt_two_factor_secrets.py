"""Encrypts the two-factor secrets stored before they were encrypted (accounts.crypto): each
TOTP key, recovery codes' seed and migrated recovery code that no key of TWO_FACTOR_KEYS opens
is taken as plain text and encrypted. Running it again changes nothing."""

from typing import Any

from django.db import migrations

from mentor247.accounts.crypto import decrypt_secret, encrypt_secret, is_encrypted

# The fields of Authenticator.data that hold a secret, by type, and the list of them.
SECRET_FIELDS = {"totp": ("secret",), "recovery_codes": ("seed",)}
SECRET_LISTS = {"recovery_codes": ("migrated_codes",)}


def _sealed(value: str) -> str:
    return value if is_encrypted(value) else encrypt_secret(value)


def encrypt_stored_secrets(apps: Any, schema_editor: Any) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=list(SECRET_FIELDS)).iterator():
        data = dict(authenticator.data)
        for field in SECRET_FIELDS[authenticator.type]:
            if isinstance(data.get(field), str):
                data[field] = _sealed(data[field])
        for field in SECRET_LISTS.get(authenticator.type, ()):
            if isinstance(data.get(field), list):
                data[field] = [_sealed(code) for code in data[field]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def decrypt_stored_secrets(apps: Any, schema_editor: Any) -> None:
    """Going back: the code before this migration read the secrets as plain text."""
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=list(SECRET_FIELDS)).iterator():
        data = dict(authenticator.data)
        for field in SECRET_FIELDS[authenticator.type]:
            if isinstance(data.get(field), str) and is_encrypted(data[field]):
                data[field] = decrypt_secret(data[field])
        for field in SECRET_LISTS.get(authenticator.type, ()):
            if isinstance(data.get(field), list):
                data[field] = [
                    decrypt_secret(code) if is_encrypted(code) else code for code in data[field]
                ]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_audit_log"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_stored_secrets, decrypt_stored_secrets)]
