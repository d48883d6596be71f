"""Encrypts every two-factor secret again under the first key of TWO_FACTOR_KEYS, so older
keys can be retired."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mentor247.accounts.crypto import SecretUnreadable, rotate_secret

# The fields of Authenticator.data that hold a secret, by type, and those that hold a list.
SECRET_FIELDS = {"totp": ("secret",), "recovery_codes": ("seed",)}
SECRET_LISTS = {"recovery_codes": ("migrated_codes",)}


class Command(BaseCommand):
    help = "Encrypts every two-factor secret again under the first key of TWO_FACTOR_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        done, unreadable = 0, []
        ids = Authenticator.objects.filter(type__in=list(SECRET_FIELDS)).values_list(
            "pk", flat=True
        )
        for pk in list(ids):
            try:
                done += rotate_authenticator(pk)
            except SecretUnreadable:
                unreadable.append(pk)
        self.stdout.write(f"{done} two-factor authenticators encrypted under the newest key.")
        if unreadable:
            raise CommandError(
                f"{len(unreadable)} authenticators no key opens (ids {unreadable[:20]}); "
                "keep the old keys."
            )


def rotate_authenticator(pk: int) -> int:
    """Encrypts authenticator `pk`'s secrets under the newest key, its row locked so a code
    used meanwhile (which writes the same row) is not lost; 1, or 0 if it is gone."""
    with transaction.atomic():
        authenticator = Authenticator.objects.select_for_update().filter(pk=pk).first()
        if authenticator is None:
            return 0
        data = dict(authenticator.data)
        for field in SECRET_FIELDS[authenticator.type]:
            data[field] = rotate_secret(data[field])
        for field in SECRET_LISTS.get(authenticator.type, ()):
            if isinstance(data.get(field), list):
                data[field] = [rotate_secret(code) for code in data[field]]
        authenticator.data = data
        authenticator.save(update_fields=["data"])
    return 1
