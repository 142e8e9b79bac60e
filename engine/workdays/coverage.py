"""How well the calendar covers a year, and the start-up / dashboard warning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from engine.workdays.calendar_files import calendar_files
from engine.workdays.days import FILE, NONE, PACKAGE, package_knows

LOOKAHEAD_DAYS = 60


@dataclass(frozen=True)
class Coverage:
    """What the calendar knows of one year."""

    year: int
    source: str  # package | file | none
    holidays: int  # weekdays off (package) or days listed as holidays (file)
    workdays: int  # swapped working days (调休)
    closures: int
    confirmed: bool
    file: str | None = None

    @property
    def covered(self) -> bool:
        """Whether days of this year come from data rather than the weekday fallback."""
        return self.source != NONE


def coverage(year: int) -> Coverage:
    """Where the working days of YEAR come from and whether they are confirmed."""
    override = calendar_files().get(year)
    file_name = override.path.name if override else None
    closures = len(override.closures) if override else 0
    if package_knows(year):
        first, last = date(year, 1, 1), date(year, 12, 31)
        holidays = len(chinese_calendar.get_holidays(first, last, include_weekends=False))
        workdays = sum(1 for d in chinese_calendar.get_workdays(first, last) if d.weekday() >= 5)
        return Coverage(year, PACKAGE, holidays, workdays, closures, True, file_name)
    if override is not None:
        return Coverage(year, FILE, len(override.holidays), len(override.workdays), closures,
                        override.confirmed, file_name)
    return Coverage(year, NONE, 0, 0, 0, False)


def coverage_warning(today: date, *, lang: str | None = None) -> str | None:
    """A warning when the next 60 days are not fully covered by confirmed data, else None.

    LANG "zh" or "en" picks one language; by default both are given, Chinese first.
    """
    years = sorted({today.year, (today + timedelta(LOOKAHEAD_DAYS)).year})
    gaps = [c for c in map(coverage, years) if not c.confirmed]
    if not gaps:
        return None
    zh = "；".join(
        f"{c.year} 年工作日历"
        + ("缺失，按周一至周五计算，相关时限标记为“日历未确认”" if not c.covered else
           f"来自 {c.file}，尚未确认（国务院放假安排公布后请核对并改为 confirmed: true）")
        for c in gaps)
    en = "; ".join(
        f"working-day calendar for {c.year} "
        + ("is missing: Monday to Friday are counted and the time limits are marked "
           "'calendar unconfirmed'" if not c.covered else
           f"comes from {c.file} and is unconfirmed (check it against the State Council's "
           "arrangement and set confirmed: true)")
        for c in gaps)
    en = en[0].upper() + en[1:]
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh} / {en}"
