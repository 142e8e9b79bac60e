"""Where a command's time goes: statement counts and time per phase, for the benchmarks.

Phases are measured by wrapping the engine's own functions for the length of a
``with`` block, in a pass of their own, so the wrapping never slows the rates the
benchmark reports.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from engine.casework import advancing, cases, completion
from engine.core import audit
from engine.runtime import case_events, case_runner, persistence, sync

# (module, function name, phase); inner phases are subtracted from the one around them
PHASES: tuple[tuple[Any, str, str], ...] = (
    (cases, "run_steps", "engine steps"),
    (advancing, "run_steps", "engine steps"),
    (cases, "store", "store"),
    (advancing, "store", "store"),
    (persistence, "save", "task rows"),
    (persistence, "shell_json", "task rows"),
    (sync, "work_items", "work items, waits"),
    (sync, "waits", "work items, waits"),
    (sync, "thrown_events", "work items, waits"),
    (case_runner, "write_case", "case row"),
    (case_events, "publish", "after-step listeners"),
    (audit, "record", "audit"),
    (completion, "lock_case_of_item", "lock"),
    (advancing, "lock_case", "lock"),
    (Session, "commit", "commit"),
)


@contextmanager
def phases() -> Iterator[Counter[str]]:
    """Time spent in each phase (seconds) while the block runs."""
    totals: Counter[str] = Counter()
    saved = [(module, name, getattr(module, name)) for module, name, _ in PHASES]
    stack: list[float] = []

    def timed(real: Callable[..., Any], phase: str) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            stack.append(0.0)
            t0 = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                spent = time.perf_counter() - t0
                inner = stack.pop()
                totals[phase] += spent - inner
                if stack:
                    stack[-1] += spent
        return run

    for module, name, phase in PHASES:
        setattr(module, name, timed(getattr(module, name), phase))
    try:
        yield totals
    finally:
        for module, name, real in saved:
            setattr(module, name, real)


@contextmanager
def statements(engine: Engine) -> Iterator[Counter[str]]:
    """Statements sent to the database while the block runs, by their first word."""
    counts: Counter[str] = Counter()

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        counts[statement.split(None, 1)[0].upper()] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", count)
