"""Human case numbers, unique per prefix (county) and year: LL-2026-000123."""

from __future__ import annotations

import os

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.core import clock
from engine.models import Counter


def next_number(session: Session, prefix: str | None = None) -> str:
    """Take the next number of this prefix and year inside the caller's transaction.

    One upsert: the first case of a year creates the counter, every later one
    increments it, and two first cases at once queue on the row's key instead
    of one of them failing on a duplicate."""
    prefix = prefix or os.environ.get("ONETHING_CASE_PREFIX", "LL")
    # the county's year: a case taken on New Year's morning in Beijing is numbered in the new year
    year = clock.now().astimezone(clock.county_zone()).year
    name = f"case:{prefix}:{year}"
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Counter).values(name=name, value=1)
    statement = statement.on_conflict_do_update(
        index_elements=[Counter.name], set_={"value": Counter.value + 1}).returning(Counter.value)
    value = session.execute(statement).scalar_one()
    return f"{prefix}-{year}-{value:06d}"
