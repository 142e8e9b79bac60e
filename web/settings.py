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
