"""Typed readers for settings that come from environment variables.

Each reader also accepts ``NAME_FILE``: the path of a file holding the value, so secrets can
come from mounted files instead of the process environment.
"""

import os
from pathlib import Path

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
