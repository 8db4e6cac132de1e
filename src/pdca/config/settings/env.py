"""Typed helpers that read settings from the environment."""

import os
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secrets(name: str, *, file_variable: str, old_variable: str) -> list[str]:
    """Secrets, the one in use first: from the file named by `file_variable` (one a line; blank
    lines and `#` comments are skipped), or else from `name` followed by the comma-separated
    retired ones in `old_variable`. Retired secrets without a current one count for nothing."""
    path = os.environ.get(file_variable)
    if path:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    current = os.environ.get(name, "").strip()
    if not current:
        return []
    old = os.environ.get(old_variable, "").split(",")
    return [current, *(item.strip() for item in old if item.strip())]
