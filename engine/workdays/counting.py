"""Counting working days and office hours: due dates and time used."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from engine.workdays.days import day_info
from engine.workdays.office_hours import OfficeHours, office_hours

# a commitment never reaches further than this many calendar days
MAX_SPAN_DAYS = 3660


@dataclass(frozen=True)
class WorkdayResult:
    """A due time and whether every day counted came from a confirmed calendar."""

    due: datetime
    confirmed: bool
    unconfirmed_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class WorkdayCount:
    """Working days between two times, and whether the calendar was sure of each."""

    days: int
    confirmed: bool
    unconfirmed_years: tuple[int, ...] = ()


class _Tally:
    """Remember which years a walk over days was unsure of."""

    def __init__(self) -> None:
        self.years: set[int] = set()

    def working(self, day: date, office: str | None) -> bool:
        info = day_info(day, office)
        if not info.confirmed:
            self.years.add(day.year)
        return info.working

    @property
    def unconfirmed(self) -> tuple[int, ...]:
        return tuple(sorted(self.years))


def local_day(at: datetime | date, hours: OfficeHours) -> date:
    """The office-local calendar day of AT (a date is taken as it is)."""
    if isinstance(at, datetime):
        if at.tzinfo is None:
            raise ValueError("naive datetime: give a time zone")
        return at.astimezone(hours.zone).date()
    return at


def add_working_days(start: datetime | date, days: int | float, *,
                     office: str | None = None) -> WorkdayResult:
    """Due time for DAYS working days counted from the day after START (end of office day).

    Zero days ends on START's own office day, or the next working day if START's day is
    not one. A fraction of a day runs into the next working day's office hours.
    """
    if days < 0 or math.isnan(days):
        raise ValueError("days must not be negative")
    hours = office_hours(office)
    tally = _Tally()
    day = local_day(start, hours)
    whole = math.floor(days)
    fraction = days - whole
    if whole == 0 and fraction == 0:
        while not tally.working(day, office):
            day = _next(day, start, hours)
        return WorkdayResult(hours.closing(day), not tally.years, tally.unconfirmed)
    counted = 0
    while counted < whole:
        day = _next(day, start, hours)
        if tally.working(day, office):
            counted += 1
    if fraction == 0:
        return WorkdayResult(hours.closing(day), not tally.years, tally.unconfirmed)
    day = _next(day, start, hours)
    while not tally.working(day, office):
        day = _next(day, start, hours)
    due = _into_day(day, fraction * hours.day_hours(), hours)
    return WorkdayResult(due, not tally.years, tally.unconfirmed)


def add_working_hours(start: datetime, hours_needed: float, *,
                      office: str | None = None) -> WorkdayResult:
    """Due time for HOURS_NEEDED office hours counted from START (instant items, 即办件)."""
    if hours_needed < 0:
        raise ValueError("hours must not be negative")
    hours = office_hours(office)
    tally = _Tally()
    day = local_day(start, hours)
    left = timedelta(hours=hours_needed)
    moment = start.astimezone(hours.zone)
    while True:
        if tally.working(day, office):
            for window in hours.sessions():
                begin = max(moment, datetime.combine(day, window.start, hours.zone))
                end = datetime.combine(day, window.end, hours.zone)
                if begin >= end:
                    continue
                if end - begin >= left:
                    return WorkdayResult(begin + left, not tally.years, tally.unconfirmed)
                left -= end - begin
        day = _next(day, start, hours)
        moment = hours.opening(day)


def count_working_days(start: datetime | date, end: datetime | date, *,
                       office: str | None = None) -> WorkdayCount:
    """Working days after START's day up to and including END's day (0 when END <= START)."""
    hours = office_hours(office)
    tally = _Tally()
    first, last = local_day(start, hours), local_day(end, hours)
    if (last - first).days > MAX_SPAN_DAYS:
        raise ValueError("span too long to count")
    count = sum(1 for n in range(1, (last - first).days + 1)
                if tally.working(first + timedelta(n), office))
    return WorkdayCount(count, not tally.years, tally.unconfirmed)


def _next(day: date, start: datetime | date, hours: OfficeHours) -> date:
    nxt = day + timedelta(1)
    if (nxt - local_day(start, hours)).days > MAX_SPAN_DAYS:
        raise ValueError("no working day found within ten years")
    return nxt


def _into_day(day: date, hours_in: float, hours: OfficeHours) -> datetime:
    left = timedelta(hours=hours_in)
    for window in hours.sessions():
        begin = datetime.combine(day, window.start, hours.zone)
        end = datetime.combine(day, window.end, hours.zone)
        if end - begin >= left:
            return begin + left
        left -= end - begin
    return hours.closing(day)
