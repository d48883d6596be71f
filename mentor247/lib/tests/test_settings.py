import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from mentor247.lib.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    unset = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(**changes: str) -> dict[str, str]:
    env = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "mentor247.example",
        "NOTES_KEYS": Fernet.generate_key().decode(),
        "TWO_FACTOR_KEYS": Fernet.generate_key().decode(),
        "PAYMENT_SANDBOX_IN_PRODUCTION": "true",
    }
    env.update(changes)
    return env


STRIPE = {
    "PAYMENT_PROVIDER": "stripe",
    "PAYMENT_SANDBOX_IN_PRODUCTION": "",
    "STRIPE_SECRET_KEY": "sk_live_x",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_x",
    "STRIPE_WEBHOOK_SECRET": "whsec_x",
}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name"),
        ({"SECURE_SSL_REDIRECT": "false"}, "HTTPS must stay on"),
        ({"SECURE_HSTS_SECONDS": "0"}, "HTTPS must stay on"),
        ({"NOTES_KEYS": ""}, "NOTES_KEYS must hold"),
        ({"TWO_FACTOR_KEYS": ""}, "TWO_FACTOR_KEYS must hold"),
        # The sandbox's test cards would pay for real sessions, unless allowed on purpose.
        ({"PAYMENT_SANDBOX_IN_PRODUCTION": ""}, "PAYMENT_PROVIDER is the sandbox"),
        ({"PAYMENT_SANDBOX_IN_PRODUCTION": "false"}, "PAYMENT_PROVIDER is the sandbox"),
        ({"PAYMENT_PROVIDER": "paypal"}, "PAYMENT_PROVIDER must be one of"),
        ({**STRIPE, "STRIPE_SECRET_KEY": ""}, "Stripe needs STRIPE_SECRET_KEY"),
        ({**STRIPE, "STRIPE_PUBLISHABLE_KEY": ""}, "Stripe needs STRIPE_PUBLISHABLE_KEY"),
        ({**STRIPE, "STRIPE_WEBHOOK_SECRET": ""}, "Stripe needs STRIPE_WEBHOOK_SECRET"),
        ({**STRIPE, "STRIPE_API_BASE": "http://127.0.0.1:1"}, "STRIPE_API_BASE points"),
    ],
)
def test_production_mode_refuses_to_start_with_unsafe_settings(
    changes: dict[str, str], reason: str
) -> None:
    result = run_manage("check", **production_env(**changes))
    assert result.returncode != 0
    assert "refuses to start in production mode" in result.stderr
    assert reason in result.stderr


def test_check_deploy_is_clean_with_proper_production_settings() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_runs_stripe_with_its_keys_and_the_sandbox_only_in_test_mode() -> None:
    show = "from django.conf import settings; print(settings.PAYMENTS_TEST_MODE)"
    with_stripe = run_manage("shell", "-c", show, **production_env(**STRIPE))
    assert (with_stripe.returncode, with_stripe.stdout.split()[-1]) == (0, "False"), (
        with_stripe.stderr
    )
    with_sandbox = run_manage("shell", "-c", show, **production_env())
    assert (with_sandbox.returncode, with_sandbox.stdout.split()[-1]) == (0, "True"), (
        with_sandbox.stderr
    )


def test_env_readers_parse_values_and_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("M247_FLAG", "yes")
    monkeypatch.setenv("M247_COUNT", "42")
    monkeypatch.setenv("M247_HOSTS", "a.example, b.example,")
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("M247_SECRET_FILE", str(secret))
    assert env_bool("M247_FLAG") is True
    assert env_bool("M247_UNSET", True) is True
    assert env_int("M247_COUNT", 0) == 42
    assert env_list("M247_HOSTS", []) == ["a.example", "b.example"]
    assert env_str("M247_SECRET") == "from-a-file"
    monkeypatch.setenv("M247_FLAG", "perhaps")
    with pytest.raises(ValueError, match="M247_FLAG must be one of"):
        env_bool("M247_FLAG")


@pytest.mark.django_db
def test_the_committed_migrations_match_the_models() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
