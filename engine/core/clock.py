"""The engine's notion of "now", which tests can move; SpiffWorkflow timers follow it."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

_lock = threading.Lock()
_offset = timedelta(0)
_frozen: datetime | None = None


DEFAULT_ZONE = "Asia/Shanghai"


def county_zone() -> ZoneInfo:
    """The county's time zone: ONETHING_TIMEZONE, else Asia/Shanghai (years, days, pages)."""
    return ZoneInfo(os.environ.get("ONETHING_TIMEZONE") or DEFAULT_ZONE)


def now() -> datetime:
    """Return the current UTC time (aware), shifted or frozen by tests."""
    with _lock:
        if _frozen is not None:
            return _frozen
        return datetime.now(UTC) + _offset


def advance(delta: timedelta) -> None:
    """Move the clock forward by DELTA (tests and demos)."""
    global _offset, _frozen
    with _lock:
        if _frozen is not None:
            _frozen += delta
        else:
            _offset += delta


def freeze(at: datetime | None) -> None:
    """Stop the clock at AT (None lets it run again, keeping no offset)."""
    global _frozen, _offset
    with _lock:
        _frozen = at
        _offset = timedelta(0)


def reset() -> None:
    freeze(None)


class _SpiffClock(datetime):
    """Stands in for datetime inside SpiffWorkflow's timer module so timers use now()."""

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        current = now()
        return current.astimezone(tz) if tz is not None else current.replace(tzinfo=None)

    # The parsing constructors must hand back plain datetimes: a subclass
    # instance would reach task data and the serializer would not know it.
    @classmethod
    def fromisoformat(cls, text: str) -> datetime:  # type: ignore[override]
        return datetime.fromisoformat(text)

    @classmethod
    def combine(cls, *args: Any, **kwargs: Any) -> datetime:  # type: ignore[override]
        return datetime.combine(*args, **kwargs)

    @classmethod
    def fromisocalendar(cls, *args: Any) -> datetime:  # type: ignore[override]
        return datetime.fromisocalendar(*args)


def install_in_spiffworkflow() -> None:
    """Make SpiffWorkflow's timer events read this clock (idempotent)."""
    from SpiffWorkflow.bpmn.specs.event_definitions import timer

    timer.datetime = _SpiffClock


Now = Callable[[], datetime]
