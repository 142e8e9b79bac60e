"""How often a timer may fire: ISO 8601 durations, dates and cycles held to a floor.

A cycle repeating every 0 s (R/PT0S) adds a branch to its case at every engine
step for ever, and a timer that fires at once and leads back to itself spins the
same way across commands; a duration of a billion years makes SpiffWorkflow count
its months one by one. So, with FLOOR seconds (default 60):

- a cycle's interval must be at least the floor: a literal one below it is refused
  at deploy, a computed one stops its case with an error naming the timer;
- a duration or date that would fire sooner than the floor, on a timer that has
  already fired in the case (a loop through it), is moved out to the floor; the
  first firing keeps the model's value;
- durations beyond MAX_YEARS are refused.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.core.errors import ScriptLimitExceeded

TIMER_FLOOR_SECONDS = float(os.environ.get("ONETHING_TIMER_FLOOR_SECONDS", "60"))
MAX_YEARS = 1000
_ISO = TimerEventDefinition


def _duration(text: str) -> dict[str, Any]:
    parsed: dict[str, Any] = _ISO.parse_iso_duration(text)
    months = parsed.get("years", 0) * 12 + parsed.get("months", 0)
    if months > MAX_YEARS * 12:
        raise ScriptLimitExceeded(f"timer duration {text!r} is longer than {MAX_YEARS} years")
    return parsed


def duration_of(text: str, start: datetime) -> timedelta:
    """Return the time an ISO 8601 duration spans from START."""
    delta: timedelta = _ISO.get_timedelta_from_start(_duration(text), start)
    return delta


def cycle_interval(text: str) -> float:
    """Return the seconds between the repetitions of an ISO 8601 cycle such as R3/PT1H."""
    parts = text.strip().upper().replace("--", "/").strip("R").split("/")
    if parts[0]:
        int(parts[0])  # the repetitions; raises ValueError when it is not a number
    durations = [part for part in parts[1:] if part.startswith("P")]
    dates = [part for part in parts[1:] if not part.startswith("P")]
    if len(parts) not in (2, 3) or len(durations) != 1:
        raise ValueError(f"not an ISO 8601 cycle: {text!r}")
    # months and years have their lengths where the cycle starts; a year from now is near enough
    anchor = datetime.fromisoformat(dates[0]) if dates else datetime.now()
    return duration_of(durations[0], anchor).total_seconds()


def check_cycle(text: object, floor: float) -> None:
    """Raise ScriptLimitExceeded if the cycle TEXT repeats more often than every FLOOR seconds."""
    if not isinstance(text, str):
        return  # SpiffWorkflow reports a value that is not text
    try:
        interval = cycle_interval(text)
    except ScriptLimitExceeded:
        raise
    except Exception:  # noqa: BLE001 - an invalid cycle fails in SpiffWorkflow with its message
        return
    if interval < floor:
        raise ScriptLimitExceeded(
            f"timer cycle {text!r} repeats every {interval:g} s, more often than the floor "
            f"of {floor:g} s")


def floored(kind: str, value: object, floor: float, now: datetime,
            fired_before: Callable[[], bool]) -> object:
    """Return the duration or date a timer should use: VALUE, or one moved out to the floor."""
    if not isinstance(value, str):
        return value
    try:
        if kind == "duration":
            due = now + duration_of(value, now)
        else:
            due = _ISO.parse_time_or_duration(value)
            if not isinstance(due, datetime):
                return value
    except ScriptLimitExceeded:
        raise
    except Exception:  # noqa: BLE001 - an invalid value fails in SpiffWorkflow with its message
        return value
    if due >= now + timedelta(seconds=floor) or not fired_before():
        return value
    if kind == "duration":
        return f"PT{floor:.6f}S"
    return (now + timedelta(seconds=floor)).isoformat()


def literal_problem(source: str, kind: str, floor: float = TIMER_FLOOR_SECONDS) -> str | None:
    """Return why a timer written as a literal string would be refused, or None."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError:
        return None
    if not isinstance(tree.body, ast.Constant) or not isinstance(tree.body.value, str):
        return None  # computed: checked when the case reaches the timer
    text = tree.body.value
    try:
        if kind == "cycle":
            check_cycle(text, floor)
        elif kind == "duration":
            _duration(text)
    except ScriptLimitExceeded as exc:
        return exc.message
    except Exception:  # noqa: BLE001 - an invalid value is reported when the timer is reached
        return None
    return None
