"""Calendar override files (``bpmn/calendar/*.yaml``): years the package does not know, closures.

One file per year::

    year: 2027
    confirmed: false          # true once the State Council's arrangement is copied in
    note: where the dates come from
    holidays:                 # days off: one date or a from/to range, with a name
      - {name: 元旦 New Year's Day, date: 2027-01-01}
      - {name: 春节 Spring Festival, from: 2027-02-05, to: 2027-02-08}
    workdays:                 # swapped working days (调休) that fall on a weekend
      - {name: 春节调休, date: 2027-02-20}
    closures:                 # local closures: every office (all) or the listed office codes
      - {reason: 停电检修 power maintenance, date: 2027-03-06, offices: [branch_tieying]}

A file for a year the package knows adds closures and may correct single days.
The directory is ``bpmn/calendar`` beside the engine, ``ONETHING_CALENDAR_DIR``, or
whatever ``use_calendar_dir`` was given last.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from engine.core.errors import FieldError, InvalidInput

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "bpmn" / "calendar"
OFFICE_HOURS_FILE = "office-hours.yaml"
ALL_OFFICES = "all"


@dataclass(frozen=True)
class Closure:
    day: date
    reason: str
    offices: tuple[str, ...]  # ("all",) closes every office

    def applies_to(self, office: str | None) -> bool:
        """Whether OFFICE (None: the county as a whole) is closed by this closure."""
        return ALL_OFFICES in self.offices or (office is not None and office in self.offices)


@dataclass(frozen=True)
class CalendarFile:
    """One year's overrides, as read from its file."""

    path: Path
    year: int
    confirmed: bool
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: dict[date, str] = field(default_factory=dict)
    closures: tuple[Closure, ...] = ()


_lock = threading.Lock()
_chosen_dir: Path | None = None
_cache: dict[Path, dict[int, CalendarFile]] = {}


def use_calendar_dir(path: Path | str | None) -> None:
    """Read override files from PATH from now on (None: back to the default); drops caches."""
    global _chosen_dir
    with _lock:
        _chosen_dir = Path(path) if path is not None else None
        _cache.clear()


def calendar_dir() -> Path:
    """The directory override files are read from."""
    if _chosen_dir is not None:
        return _chosen_dir
    env = os.environ.get("ONETHING_CALENDAR_DIR")
    return Path(env) if env else DEFAULT_DIR


def calendar_files() -> dict[int, CalendarFile]:
    """Every year file of the calendar directory, by year (read once, then cached)."""
    directory = calendar_dir()
    with _lock:
        cached = _cache.get(directory)
        if cached is not None:
            return cached
    files: dict[int, CalendarFile] = {}
    if directory.is_dir():
        for path in sorted(directory.glob("*.yaml")):
            if path.name == OFFICE_HOURS_FILE:
                continue
            parsed = read_calendar_file(path)
            if parsed.year in files:
                raise InvalidInput(f"{path.name}: year {parsed.year} is also in "
                                   f"{files[parsed.year].path.name}")
            files[parsed.year] = parsed
    with _lock:
        _cache[directory] = files
    return files


def read_calendar_file(path: Path) -> CalendarFile:
    """Parse one year file; every shape problem is reported with its place in the file."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise InvalidInput(f"{path.name}: cannot read: {err}") from err
    problems: list[FieldError] = []
    if not isinstance(doc, dict):
        raise InvalidInput(f"{path.name}: must be a mapping with year, confirmed, holidays")
    year = doc.get("year")
    if not isinstance(year, int) or not 1900 <= year <= 2200:
        problems.append(FieldError("year", "must be a year such as 2027"))
        year = 0
    confirmed = doc.get("confirmed")
    if not isinstance(confirmed, bool):
        problems.append(FieldError("confirmed", "must be true or false"))
    holidays = _named_days(doc.get("holidays"), "holidays", year, problems)
    workdays = _named_days(doc.get("workdays"), "workdays", year, problems)
    for day in sorted(set(holidays) & set(workdays)):
        problems.append(FieldError("workdays", f"{day} is also a holiday"))
    closures = _closures(doc.get("closures"), year, problems)
    if problems:
        raise InvalidInput(f"{path.name}: " + "; ".join(f"{p.path}: {p.message}"
                                                        for p in problems), problems)
    return CalendarFile(path=path, year=year, confirmed=bool(confirmed), holidays=holidays,
                        workdays=workdays, closures=tuple(closures))


def _dates(entry: dict[str, Any], where: str, year: int,
           problems: list[FieldError]) -> list[date]:
    single, start, end = entry.get("date"), entry.get("from"), entry.get("to")
    if isinstance(single, date) and start is None and end is None:
        days = [single]
    elif isinstance(start, date) and isinstance(end, date) and single is None and start <= end:
        days = [start + timedelta(n) for n in range((end - start).days + 1)]
    else:
        problems.append(FieldError(where, "needs a date, or from and to (from <= to)"))
        return []
    if year and any(d.year != year for d in days):
        problems.append(FieldError(where, f"dates must lie in {year}"))
        return []
    return days


def _entries(value: Any, where: str, problems: list[FieldError]) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        problems.append(FieldError(where, "must be a list of mappings"))
        return []
    return value


def _named_days(value: Any, where: str, year: int,
                problems: list[FieldError]) -> dict[date, str]:
    named: dict[date, str] = {}
    for n, entry in enumerate(_entries(value, where, problems)):
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(FieldError(f"{where}[{n}].name", "is required"))
        for day in _dates(entry, f"{where}[{n}]", year, problems):
            named[day] = str(name)
    return named


def _closures(value: Any, year: int, problems: list[FieldError]) -> list[Closure]:
    closures: list[Closure] = []
    for n, entry in enumerate(_entries(value, "closures", problems)):
        where = f"closures[{n}]"
        offices = entry.get("offices", ALL_OFFICES)
        if offices == ALL_OFFICES:
            codes: tuple[str, ...] = (ALL_OFFICES,)
        elif isinstance(offices, list) and offices and all(isinstance(o, str) for o in offices):
            codes = tuple(offices)
        else:
            problems.append(FieldError(f"{where}.offices", "must be 'all' or a list of codes"))
            continue
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            problems.append(FieldError(f"{where}.reason", "is required"))
            continue
        closures.extend(Closure(day, reason, codes)
                        for day in _dates(entry, where, year, problems))
    return closures
