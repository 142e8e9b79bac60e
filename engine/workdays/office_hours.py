"""Office hours per office: time zone, morning and afternoon sessions, after-hours windows.

Defaults apply to every office; ``bpmn/calendar/office-hours.yaml`` may change them::

    default:
      timezone: Asia/Shanghai
      morning: ["09:00", "12:00"]
      afternoon: ["13:30", "17:30"]
      after_hours:            # 延时服务 windows, on working days unless `weekend: true`
        - {from: "12:00", to: "13:30"}
        - {from: "17:30", to: "19:30"}
        - {from: "09:00", to: "12:00", weekend: true}
    offices:
      branch_tieying: {afternoon: ["14:00", "18:00"]}
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from engine.core.errors import InvalidInput
from engine.workdays.calendar_files import OFFICE_HOURS_FILE, calendar_dir

DEFAULT_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Window:
    """A span of local time on a day (after-hours: on weekends and closed days when weekend)."""

    start: time
    end: time
    weekend: bool = False


@dataclass(frozen=True)
class OfficeHours:
    """When one office is open."""

    timezone: str
    morning: Window
    afternoon: Window
    after_hours: tuple[Window, ...]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def sessions(self) -> tuple[Window, Window]:
        """The two staffed sessions of a working day."""
        return (self.morning, self.afternoon)

    def day_hours(self) -> float:
        """Staffed hours in one working day."""
        return sum(_hours(w) for w in self.sessions())

    def opening(self, day: date) -> datetime:
        """The start of the office day DAY (aware, office time zone)."""
        return datetime.combine(day, self.morning.start, self.zone)

    def closing(self, day: date) -> datetime:
        """The end of the office day DAY (aware, office time zone)."""
        return datetime.combine(day, self.afternoon.end, self.zone)


DEFAULT_HOURS = OfficeHours(
    timezone=DEFAULT_TIMEZONE,
    morning=Window(time(9, 0), time(12, 0)),
    afternoon=Window(time(13, 30), time(17, 30)),
    after_hours=(Window(time(12, 0), time(13, 30)), Window(time(17, 30), time(19, 30)),
                 Window(time(9, 0), time(12, 0), weekend=True)),
)

_lock = threading.Lock()
_cache: dict[Path, tuple[OfficeHours, dict[str, OfficeHours]]] = {}


def office_hours(office: str | None = None) -> OfficeHours:
    """The hours of OFFICE (the defaults for None or an office without its own setting)."""
    default, per_office = _settings()
    return per_office.get(office, default) if office else default


def is_after_hours(at: datetime, office: str | None = None, *, working_day: bool) -> bool:
    """Whether AT falls in an after-hours service window of OFFICE."""
    hours = office_hours(office)
    local = at.astimezone(hours.zone).time()
    return any(w.start <= local < w.end for w in hours.after_hours if w.weekend != working_day)


def _hours(window: Window) -> float:
    return (window.end.hour * 60 + window.end.minute
            - window.start.hour * 60 - window.start.minute) / 60


def _settings() -> tuple[OfficeHours, dict[str, OfficeHours]]:
    path = calendar_dir() / OFFICE_HOURS_FILE
    with _lock:
        if path in _cache:
            return _cache[path]
    settings = _read(path) if path.is_file() else (DEFAULT_HOURS, {})
    with _lock:
        _cache[path] = settings
    return settings


def _read(path: Path) -> tuple[OfficeHours, dict[str, OfficeHours]]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise InvalidInput(f"{path.name}: cannot read: {err}") from err
    if not isinstance(doc, dict):
        raise InvalidInput(f"{path.name}: must be a mapping with default and offices")
    default = _merge(DEFAULT_HOURS, doc.get("default") or {}, f"{path.name}: default")
    offices = doc.get("offices") or {}
    if not isinstance(offices, dict):
        raise InvalidInput(f"{path.name}: offices must map office codes to settings")
    return default, {str(code): _merge(default, spec or {}, f"{path.name}: offices.{code}")
                     for code, spec in offices.items()}


def _merge(base: OfficeHours, spec: Any, where: str) -> OfficeHours:
    if not isinstance(spec, dict):
        raise InvalidInput(f"{where}: must be a mapping")
    hours = base
    if "timezone" in spec:
        try:
            ZoneInfo(str(spec["timezone"]))
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise InvalidInput(f"{where}.timezone: unknown time zone") from err
        hours = replace(hours, timezone=str(spec["timezone"]))
    if "morning" in spec:
        hours = replace(hours, morning=_session(spec["morning"], f"{where}.morning"))
    if "afternoon" in spec:
        hours = replace(hours, afternoon=_session(spec["afternoon"], f"{where}.afternoon"))
    if "after_hours" in spec:
        windows = spec["after_hours"]
        if not isinstance(windows, list) or not all(isinstance(w, dict) for w in windows):
            raise InvalidInput(f"{where}.after_hours: must be a list of {{from, to}}")
        hours = replace(hours, after_hours=tuple(
            _window(w.get("from"), w.get("to"), bool(w.get("weekend", False)),
                    f"{where}.after_hours[{n}]") for n, w in enumerate(windows)))
    if hours.morning.end > hours.afternoon.start:
        raise InvalidInput(f"{where}: the morning must end before the afternoon starts")
    return hours


def _session(pair: Any, where: str) -> Window:
    if not isinstance(pair, list) or len(pair) != 2:
        raise InvalidInput(f"{where}: must be [start, end]")
    return _window(pair[0], pair[1], False, where)


def _window(start: Any, end: Any, weekend: bool, where: str) -> Window:
    try:
        first, last = time.fromisoformat(str(start)), time.fromisoformat(str(end))
    except ValueError as err:
        raise InvalidInput(f"{where}: times must look like 09:00") from err
    if first >= last:
        raise InvalidInput(f"{where}: must start before it ends")
    return Window(first, last, weekend)

