"""Check ids typed by people before they reach (and overflow) the database driver."""

from __future__ import annotations

from engine.core.errors import NotFound

# row ids are 32-bit integer columns on PostgreSQL: a larger id names no row
MAX_ID = 2**31 - 1


def case_ref(value: str) -> str:
    """VALUE as a case id or number; ids no case can have are a 404 right away."""
    if value.isdigit() and (not value.isascii() or int(value) > MAX_ID):
        raise NotFound(f"case {value} not found")
    return value
