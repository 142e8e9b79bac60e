"""Check ids typed by people before they reach (and overflow) the database driver."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from engine.core.errors import NotFound

# row ids are 32-bit integer columns on PostgreSQL: a larger id names no row
MAX_ID = 2**31 - 1


def case_ref(value: str) -> str:
    """VALUE as a case id or number; ids no case can have are a 404 right away."""
    if value.isdigit() and (not value.isascii() or int(value) > MAX_ID):
        raise NotFound(f"case {value} not found")
    return value


class RowId(IntegerConverter):
    """`<int:...>` in every route: a row id the database can hold (1 .. 2**31-1), so a
    larger number is a plain 404 rather than a database overflow."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
