"""Whether one day is a working day, and how sure the calendar is about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import chinese_calendar

from engine.workdays.calendar_files import calendar_files

# where a day's status came from
PACKAGE = "package"
FILE = "file"
NONE = "none"


@dataclass(frozen=True)
class DayInfo:
    """One day for one office: working or not, from which source, confirmed or not."""

    day: date
    working: bool
    source: str  # package | file | none
    confirmed: bool
    name: str | None = None  # holiday, swapped day or closure reason


@lru_cache(maxsize=64)
def package_knows(year: int) -> bool:
    """Whether the chinese-calendar package has data for YEAR."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def day_info(day: date, office: str | None = None) -> DayInfo:
    """The status of DAY for OFFICE (None: the county as a whole)."""
    override = calendar_files().get(day.year)
    base = _base_info(day)
    if override is not None:
        if day in override.holidays:
            base = DayInfo(day, False, FILE, override.confirmed, override.holidays[day])
        elif day in override.workdays:
            base = DayInfo(day, True, FILE, override.confirmed, override.workdays[day])
        elif base.source == NONE:
            base = DayInfo(day, day.weekday() < 5, FILE, override.confirmed)
        for closure in override.closures:
            if closure.day == day and closure.applies_to(office):
                return DayInfo(day, False, base.source, base.confirmed, closure.reason)
    return base


def _base_info(day: date) -> DayInfo:
    if package_knows(day.year):
        holiday, name = chinese_calendar.get_holiday_detail(day)
        return DayInfo(day, not holiday, PACKAGE, True, name)
    # no data at all: weekdays, and say so
    return DayInfo(day, day.weekday() < 5, NONE, False)


def is_working_day(day: date, office: str | None = None) -> bool:
    """Whether DAY is a working day for OFFICE."""
    return day_info(day, office).working
