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
    unset = {
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "NOTES_KEYS",
        "TWO_FACTOR_KEYS",
        "SITE_URL",
        "HOST",
        "PORT",
        "FORWARDED_ALLOW_IPS",
    }
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
        "SITE_URL": "https://mentor247.example",
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
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must name"),
        ({"ALLOWED_HOSTS": "mentor247.example,*"}, "ALLOWED_HOSTS must name"),
        ({"SITE_URL": ""}, "SITE_URL must be"),
        ({"SITE_URL": "http://mentor247.example"}, "SITE_URL must be"),
        ({"SITE_URL": "mentor247.example"}, "SITE_URL must be"),
        ({"SECURE_SSL_REDIRECT": "false"}, "HTTPS must stay on"),
        ({"SECURE_HSTS_SECONDS": "0"}, "HTTPS must stay on"),
        ({"NOTES_KEYS": ""}, "NOTES_KEYS must hold"),
        ({"NOTES_KEYS": "notakey"}, "NOTES_KEYS must hold"),
        ({"NOTES_KEYS": f"{Fernet.generate_key().decode()},notakey"}, "NOTES_KEYS must hold"),
        ({"TWO_FACTOR_KEYS": ""}, "TWO_FACTOR_KEYS must hold"),
        ({"TWO_FACTOR_KEYS": "notakey"}, "TWO_FACTOR_KEYS must hold"),
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


def shown(expression: str, *, var_dir: Path, **env: str) -> str:
    """What `expression` (over django.conf.settings) prints in a fresh process with `env`."""
    code = f"from django.conf import settings; print(repr({expression}))"
    result = run_manage("shell", "-c", code, VAR_DIR=str(var_dir), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


LANGUAGE_COOKIE = """
from django.test import Client
response = Client().post(
    "/i18n/setlang/", {"language": "es", "next": "/"}, secure=True, HTTP_HOST="%s"
)
print(response.cookies["django_language"].output())
"""


@pytest.mark.parametrize(
    ("env", "host", "secure"),
    [({}, "127.0.0.1", False), (production_env(), "mentor247.example", True)],
    ids=["development", "production"],
)
def test_the_language_cookie_is_kept_from_scripts_and_other_sites(
    env: dict[str, str], host: str, secure: bool, tmp_path: Path
) -> None:
    result = run_manage("shell", "-c", LANGUAGE_COOKIE % host, VAR_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr
    attributes = {part.strip().split("=")[0].lower() for part in result.stdout.split(";")}
    assert "samesite=lax" in result.stdout.lower()
    assert "httponly" in attributes
    assert ("secure" in attributes) is secure


@pytest.mark.parametrize(
    ("host", "port", "site_url"),
    [
        ("", "", "http://127.0.0.1:8000"),
        ("127.0.0.1", "8123", "http://127.0.0.1:8123"),
        ("0.0.0.0", "9000", "http://127.0.0.1:9000"),  # noqa: S104 - every address of the machine
        ("::", "9000", "http://[::1]:9000"),
        ("::1", "9001", "http://[::1]:9001"),
        ("localhost", "8080", "http://localhost:8080"),
        ("192.0.2.7", "8000", "http://192.0.2.7:8000"),
    ],
)
def test_development_derives_the_site_url_from_host_and_port(
    host: str, port: str, site_url: str, tmp_path: Path
) -> None:
    env = {"HOST": host, "PORT": port}
    expression = (
        "(settings.SITE_URL, settings.ALLOWED_HOSTS,"
        " settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    url, hosts, form_action = eval(shown(expression, var_dir=tmp_path, **env))  # noqa: S307
    assert url == site_url
    # Its host is served, and the form-action directive lets the platform's own redirects
    # (to SITE_URL) through.
    assert site_url.removeprefix("http://").rsplit(":", 1)[0] in hosts
    assert site_url in form_action


def test_a_site_url_given_wins_and_its_host_is_allowed(tmp_path: Path) -> None:
    env = {"PORT": "9000", "SITE_URL": "http://mentor.localhost:8765/"}
    expression = (
        "(settings.SITE_URL, settings.ALLOWED_HOSTS,"
        " settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    url, hosts, form_action = eval(shown(expression, var_dir=tmp_path, **env))  # noqa: S307
    assert url == "http://mentor.localhost:8765"
    assert "mentor.localhost" in hosts
    assert "http://mentor.localhost:8765" in form_action


def test_a_site_url_that_is_no_address_is_refused_in_development(tmp_path: Path) -> None:
    result = run_manage("check", VAR_DIR=str(tmp_path), SITE_URL="127.0.0.1:8000")
    assert result.returncode != 0
    assert "SITE_URL must be" in result.stderr


def test_development_makes_its_own_secret_key_once_per_var_dir(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    keys = "(settings.SECRET_KEY, settings.SANDBOX_WEBHOOK_SECRET)"
    made = eval(shown(keys, var_dir=first))  # noqa: S307 - a repr
    again = eval(shown(keys, var_dir=first))  # noqa: S307
    other = eval(shown(keys, var_dir=second))  # noqa: S307
    assert made == again
    assert made[0] != other[0] and made[1] != other[1]
    assert len(made[0]) >= 50
    assert "development-only" not in made[0]
    kept = first / "secret_key"
    assert kept.read_text().strip() == made[0]
    assert kept.stat().st_mode & 0o777 == 0o600
    # A SECRET_KEY given in the environment wins, and nothing is written for it.
    given = secrets.token_urlsafe(64)
    assert eval(shown("settings.SECRET_KEY", var_dir=second, SECRET_KEY=given)) == given  # noqa: S307


def test_production_writes_no_secret_key_of_its_own(tmp_path: Path) -> None:
    result = run_manage("check", VAR_DIR=str(tmp_path), **production_env(SECRET_KEY=""))
    assert "SECRET_KEY must be set" in result.stderr
    assert not (tmp_path / "secret_key").exists()
