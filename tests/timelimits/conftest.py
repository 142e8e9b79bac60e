"""Fixtures of the commitment tests: a frozen clock, a chosen calendar directory."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from engine import workdays
from engine.core import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")
SHIPPED_CALENDAR = Path(__file__).resolve().parents[2] / "bpmn" / "calendar"


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A Shanghai wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def frozen(rt: object) -> Iterator[None]:
    """The engine clock stopped (tests move it); released afterwards."""
    yield
    clock.reset()


@pytest.fixture
def shipped_calendar() -> Iterator[Path]:
    """The calendar directory shipped in bpmn/calendar."""
    workdays.use_calendar_dir(SHIPPED_CALENDAR)
    yield SHIPPED_CALENDAR
    workdays.use_calendar_dir(None)


@pytest.fixture
def no_calendar_files(tmp_path: Path) -> Iterator[Path]:
    """An empty calendar directory: years the package does not know have no data."""
    empty = tmp_path / "calendar-empty"
    empty.mkdir()
    workdays.use_calendar_dir(empty)
    yield empty
    workdays.use_calendar_dir(None)


@pytest.fixture
def calendar_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the shipped calendar directory."""
    copy = tmp_path / "calendar"
    shutil.copytree(SHIPPED_CALENDAR, copy)
    workdays.use_calendar_dir(copy)
    yield copy
    workdays.use_calendar_dir(None)
