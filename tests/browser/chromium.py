"""Find Debian's chromium and launch it the way every browser test does (never downloaded)."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]
REQUIRE = "ONETHING_REQUIRE_BROWSER"


def required() -> bool:
    """Whether a missing browser fails the run (CI) instead of skipping the browser tests."""
    return os.environ.get(REQUIRE, "").strip().lower() in {"1", "true", "yes", "on"}


def missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return (f"{CHROMIUM} is not installed: run `make browser` "
                "(apt-get install -y chromium)")
    return None
