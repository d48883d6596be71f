"""Typed readers for settings that come from environment variables.

Each reader also accepts ``NAME_FILE``: the path of a file holding the value, so secrets can
come from mounted files instead of the process environment.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def env_str(name: str, default: str = "") -> str:
    if value := os.environ.get(name):
        return value
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return default


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name).strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ValueError(f"{name} must be one of {sorted(TRUE_WORDS | FALSE_WORDS)}, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = env_str(name).strip()
    return int(raw) if raw else default


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def kept_secret(path: Path) -> str:
    """The random secret kept in the file at `path`, which the first caller makes (readable by
    its owner alone). Processes starting together all read the same one: the file appears
    whole or not at all."""
    if not path.exists():
        made = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50) + "\n")
        try:
            os.link(made, path)
        except FileExistsError:
            pass  # another process was first; its secret is the one
        finally:
            made.unlink()
    return path.read_text().strip()


def local_url(host: str, port: int) -> str:
    """The http:// address at which a browser on this machine reaches a server listening on
    `host` and `port`; a server on every address is reached on loopback."""
    browsable = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    if ":" in browsable:
        browsable = f"[{browsable}]"
    return f"http://{browsable}:{port}"


def url_origin(url: str) -> str:
    """The origin (scheme, host and port) of an absolute http(s) address, or "" for anything
    else."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return ""
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def url_host(url: str) -> str:
    """The host of an absolute address as ALLOWED_HOSTS names it (IPv6 in brackets)."""
    hostname = urlsplit(url).hostname or ""
    return f"[{hostname}]" if ":" in hostname else hostname


def is_fernet_key(key: str) -> bool:
    try:
        Fernet(key)
    except ValueError:
        return False
    return True
