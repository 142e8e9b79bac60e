"""Settings read from ONETHING_* environment variables."""

from __future__ import annotations

import os

_TRUE = {"1", "true", "yes", "on"}


def env_flag(name: str, default: bool) -> bool:
    """Read a boolean ONETHING_* environment variable."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in _TRUE


def env_int(name: str, default: int, *, least: int = 1) -> int:
    """Read a whole-number ONETHING_* environment variable (at least LEAST)."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if number < least:
        raise ValueError(f"{name} must be at least {least}, not {number}")
    return number
