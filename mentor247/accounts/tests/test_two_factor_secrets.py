"""Two-factor secrets at rest: encrypted in the database, kept out of the admin, and still
good for logging in."""

import importlib
import json
import re
import time
from io import StringIO
from typing import Any

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from mentor247.accounts.crypto import SecretUnreadable, decrypt_secret
from mentor247.accounts.models import User
from mentor247.conftest import PASSWORD, STAFF_TOTP_SECRET, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SECOND_STEP = "/accounts/2fa/authenticate/"


def stored_data(authenticator_id: int) -> str:
    """The row's data as the database holds it, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator_id])
        (data,) = cursor.fetchone()
    return data if isinstance(data, str) else json.dumps(data)


def turn_on_totp(client: Client, user: User) -> str:
    """Turns two-factor authentication on through allauth's pages; the app's secret."""
    assert client.post(LOGIN, {"login": user.email, "password": PASSWORD}).status_code == 302
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/").content.decode()
    found = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page) or re.search(
        r'value="([A-Z2-7]+)"[^>]*id="authenticator_secret"', page
    )
    assert found is not None, page
    secret = found.group(1)
    response = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    return secret


def log_in_with_code(user: User, code: str) -> Client:
    client = Client()
    assert client.post(LOGIN, {"login": user.email, "password": PASSWORD})["Location"] == (
        SECOND_STEP
    )
    client.post(SECOND_STEP, {"code": code})
    return client


def test_totp_secret_and_recovery_seed_are_stored_encrypted(mentee: User) -> None:
    secret = turn_on_totp(Client(), mentee)
    totp = Authenticator.objects.get(user=mentee, type=Authenticator.Type.TOTP)
    codes = Authenticator.objects.get(user=mentee, type=Authenticator.Type.RECOVERY_CODES)

    assert secret not in stored_data(totp.pk)
    assert decrypt_secret(totp.data["secret"]) == secret
    seed = decrypt_secret(codes.data["seed"])
    assert re.fullmatch(r"[0-9a-f]{80}", seed)
    assert seed not in stored_data(codes.pk)

    # Both still open the door: the app's code, and a recovery code.
    with_app = log_in_with_code(mentee, pyotp.TOTP(secret).at(time.time() + 30))
    assert with_app.session["_auth_user_id"] == str(mentee.pk)
    recovery_code = codes.wrap().get_unused_codes()[0]
    with_code = log_in_with_code(mentee, recovery_code)
    assert with_code.session["_auth_user_id"] == str(mentee.pk)


def test_a_secret_no_key_opens_is_never_used(mentee: User) -> None:
    """A plain secret written past the adapter (as before encryption, or by someone with
    the database alone) does not let anyone in."""
    Authenticator.objects.create(
        user=mentee, type=Authenticator.Type.TOTP, data={"secret": STAFF_TOTP_SECRET}
    )

    with pytest.raises(SecretUnreadable):
        log_in_with_code(mentee, pyotp.TOTP(STAFF_TOTP_SECRET).now())


def test_migration_encrypts_secrets_stored_in_clear_once(mentee: User) -> None:
    migration = importlib.import_module(
        "mentor247.accounts.migrations.0005_encrypt_two_factor_secrets"
    )
    totp = Authenticator.objects.create(
        user=mentee, type=Authenticator.Type.TOTP, data={"secret": STAFF_TOTP_SECRET}
    )
    seed = "ab" * 40
    codes = Authenticator.objects.create(
        user=mentee,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": seed, "used_mask": 0, "migrated_codes": ["12345678"]},
    )

    migration.encrypt_stored_secrets(apps, None)
    once = stored_data(totp.pk), stored_data(codes.pk)
    migration.encrypt_stored_secrets(apps, None)

    assert (stored_data(totp.pk), stored_data(codes.pk)) == once
    assert STAFF_TOTP_SECRET not in once[0]
    assert seed not in once[1] and "12345678" not in once[1]
    codes.refresh_from_db()
    assert decrypt_secret(codes.data["seed"]) == seed
    assert codes.data["used_mask"] == 0
    client = log_in_with_code(mentee, pyotp.TOTP(STAFF_TOTP_SECRET).now())
    assert client.session["_auth_user_id"] == str(mentee.pk)


def test_the_admin_never_shows_two_factor_data(client: Client, staff: User) -> None:
    person = make_user("tom.staff@example.com", staff=True)
    authenticator = Authenticator.objects.get(user=person)
    client.post(LOGIN, {"login": staff.email, "password": PASSWORD})
    client.post(SECOND_STEP, {"code": pyotp.TOTP(STAFF_TOTP_SECRET).now()})
    assert client.session["_auth_user_id"] == str(staff.pk)

    listed = client.get("/staff/admin/mfa/authenticator/")
    shown = client.get(f"/staff/admin/mfa/authenticator/{authenticator.pk}/change/")

    assert (listed.status_code, shown.status_code) == (200, 200)
    page = shown.content.decode()
    assert person.name in page
    assert STAFF_TOTP_SECRET not in page
    assert authenticator.data["secret"] not in page
    assert 'name="data"' not in page
    assert client.get("/staff/admin/mfa/authenticator/add/").status_code == 403


def test_rotating_keys_moves_every_secret_to_the_newest_key(mentee: User, settings: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.TWO_FACTOR_KEYS = [old]
    secret = turn_on_totp(Client(), mentee)
    settings.TWO_FACTOR_KEYS = [new, old]

    call_command("rotate_two_factor_keys", stdout=StringIO())

    settings.TWO_FACTOR_KEYS = [new]
    totp = Authenticator.objects.get(user=mentee, type=Authenticator.Type.TOTP)
    assert decrypt_secret(totp.data["secret"]) == secret
    codes = Authenticator.objects.get(user=mentee, type=Authenticator.Type.RECOVERY_CODES)
    assert re.fullmatch(r"[0-9a-f]{80}", decrypt_secret(codes.data["seed"]))
    client = log_in_with_code(mentee, pyotp.TOTP(secret).at(time.time() + 30))
    assert client.session["_auth_user_id"] == str(mentee.pk)
    # Without the key it was made with, a secret is refused, not guessed at.
    settings.TWO_FACTOR_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError):
        call_command("rotate_two_factor_keys", stdout=StringIO())
