"""Human case numbers, unique per prefix (county) and year: LL-2026-000123."""

from __future__ import annotations

import os

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.core import clock
from engine.models import Counter


def next_number(session: Session, prefix: str | None = None) -> str:
    """Take the next number of this prefix and year inside the caller's transaction."""
    prefix = prefix or os.environ.get("ONETHING_CASE_PREFIX", "LL")
    # the county's year: a case taken on New Year's morning in Beijing is numbered in the new year
    year = clock.now().astimezone(clock.county_zone()).year
    name = f"case:{prefix}:{year}"
    result = session.execute(update(Counter).where(Counter.name == name)
                             .values(value=Counter.value + 1).returning(Counter.value))
    value = result.scalar_one_or_none()
    if value is None:
        with session.begin_nested():
            existing = session.scalar(select(Counter).where(Counter.name == name))
            if existing is None:
                session.add(Counter(name=name, value=1))
                value = 1
        if value is None:
            return next_number(session, prefix)
    return f"{prefix}-{year}-{value:06d}"
