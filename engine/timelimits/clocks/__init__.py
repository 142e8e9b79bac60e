"""Commitment clocks (承诺时限): per case and per item, in working days, with warning levels.

Importing this package registers the after-step listener that drives the clocks (see
``rules`` for the table of which step does what) and the ``clock_levels`` job kind.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.core import clock
from engine.models.clocks import CASE_SCOPE
from engine.timelimits.clocks import listener as listener
from engine.timelimits.clocks.level_job import KIND as LEVEL_JOB_KIND
from engine.timelimits.clocks.level_job import ensure_level_job, recompute_all
from engine.timelimits.clocks.operations import as_dict, clocks_of, extend
from engine.timelimits.clocks.timing import LEVELS, NORMAL, RED, YELLOW, Thresholds


def case_clock(session: Session, case_id: int) -> dict[str, Any] | None:
    """The case's clock for its pages: started, due, level, paused, used/committed days,
    extended, confirmed, with the clock of each item under "items" (None if not started)."""
    found = clocks_of(session, case_id)
    if not found or found[0].scope != CASE_SCOPE:
        return None
    now = clock.now()
    shown = as_dict(found[0], now)
    shown["items"] = [as_dict(c, now) for c in found[1:]]
    return shown


__all__ = ["CASE_SCOPE", "LEVELS", "LEVEL_JOB_KIND", "NORMAL", "RED", "YELLOW", "Thresholds",
           "case_clock", "clocks_of", "ensure_level_job", "extend", "recompute_all"]
