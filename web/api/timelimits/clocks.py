"""Commitment clocks (承诺时限) of a case, their extension (延期), and the working-day calendar."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from flask import Blueprint
from pydantic import Field

from engine import workdays
from engine.casework import cases, permissions
from engine.core import clock
from engine.core.errors import Forbidden, NotFound
from engine.models import Case
from engine.models.clocks import CASE_SCOPE
from engine.timelimits import clocks
from engine.timelimits.clocks.operations import MAX_EXTENSION_DAYS
from web import refs
from web.api.declare import Body, Exact, Reply, operation
from web.context import actor, transaction

bp = Blueprint("clocks", __name__)

FIRST_YEAR, LAST_YEAR = 1900, 2200
MAX_REASON = 2000


class ExtendClock(Body):
    """An extension: how many working days, why, and of which clock."""

    days: int = Field(ge=1, le=MAX_EXTENSION_DAYS, description="working days added")
    # blank reasons are the engine's to refuse, in the words the workbench shows too
    reason: str = Field(max_length=MAX_REASON, description="why the case needs more time")
    scope: str | None = Field(None, description="item code; default the case clock")


class ClockExtension(Reply):
    """The one extension a clock may have."""

    days: float
    by: str | None = None
    reason: str | None = None
    at: datetime


class Clock(Reply):
    """A commitment clock: the case's, or one item's."""

    scope: str = Field(description="'case', or the item code")
    unit: Literal["days", "hours"] = Field(description="hours for instant items (即办件)")
    started: datetime
    due: datetime
    statutory_due: datetime
    level: Literal["normal", "yellow", "red"]
    paused: bool
    paused_reasons: list[str]
    paused_days: float
    used: float = Field(description="working days run, pauses taken off")
    committed: float = Field(description="committed limit with the extension")
    committed_original: float
    statutory: float
    extended: bool
    extension: ClockExtension | None = None
    finished: datetime | None = None
    on_time: bool | None = None
    confirmed: bool = Field(description="false when a year without calendar data was counted")


class CaseClock(Clock):
    """The case's clock, with the clock of each of its items."""

    case_id: int
    number: str
    items: list[Clock]


class CoverageQuery(Exact):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, description="the year (required)")


class WarningQuery(Exact):
    """No parameters: the warning is today's."""


class CalendarCoverage(Reply):
    """Where one year's working days come from."""

    year: int
    source: Literal["package", "file", "none"]
    file: str | None = None
    holidays: int
    workdays: int = Field(description="swapped working days (调休)")
    closures: int
    confirmed: bool
    covered: bool


class CalendarWarning(Reply):
    """Today's calendar warning in both languages, each null when there is none."""

    today: date
    warning: str | None
    zh: str | None
    en: str | None


def visible_case(session: Any, case_ref: str) -> Case:
    """The case CASE_REF if the caller may look at it (as on the case page), else 403/404."""
    case = cases.get_case(session, refs.case_ref(case_ref))
    permissions.check_visible(session, case, actor())
    return case


def seen_or_missing(session: Any, case_ref: str) -> Case:
    """The case CASE_REF if the caller may look at it; else 404, as if it did not exist."""
    try:
        return visible_case(session, case_ref)
    except Forbidden as err:
        raise NotFound(f"case {case_ref} not found / 办件不存在") from err


def _shown(session: Any, case: Case) -> dict[str, Any]:
    shown = clocks.case_clock(session, case.id)
    if shown is None:
        raise NotFound(f"case {case.number} has no commitment clock: it is not accepted yet "
                       "/ 办件尚未受理，未开始计时")
    return {"case_id": case.id, "number": case.number, **shown}


@bp.get("/cases/<case_ref>/clock")
@operation("getCaseClock", tag="clocks", ok={200: CaseClock}, errors=("403", "404"))
def show(case_ref: str) -> dict[str, Any]:
    """The case's commitment clock and its items' clocks (404 before acceptance)."""
    with transaction() as session:
        return _shown(session, visible_case(session, case_ref))


@bp.post("/cases/<case_ref>/clock/extend")
@operation("extendClock", tag="clocks", body=ExtendClock, ok={200: CaseClock},
           errors=("403", "404", "409"))
def extend(case_ref: str, json: ExtendClock) -> dict[str, Any]:
    """Extend a running clock once (延期); the caller, a leader or supervisor, approves."""
    with transaction() as session:
        # a case the caller may not see answers 404, so its number gives nothing away
        case = seen_or_missing(session, case_ref)
        clocks.extend(session, case.id, actor(), json.days, json.reason,
                      scope=json.scope or CASE_SCOPE, now=clock.now())
        return _shown(session, case)


@bp.get("/calendar/coverage")
@operation("calendarCoverage", tag="clocks", query=CoverageQuery, ok={200: CalendarCoverage})
def coverage(query: CoverageQuery) -> dict[str, Any]:
    """Where a year's working days come from."""
    found = workdays.coverage(query.year)
    return {"year": found.year, "source": found.source, "file": found.file,
            "holidays": found.holidays, "workdays": found.workdays,
            "closures": found.closures, "confirmed": found.confirmed,
            "covered": found.covered}


@bp.get("/calendar/warning")
@operation("calendarWarning", tag="clocks", query=WarningQuery, ok={200: CalendarWarning})
def warning(query: WarningQuery) -> dict[str, Any]:
    """The warning when the next 60 days are not covered by confirmed calendar data (null
    when they are)."""
    today = clock.now().date()
    return {"today": today.isoformat(), "warning": workdays.coverage_warning(today),
            "zh": workdays.coverage_warning(today, lang="zh"),
            "en": workdays.coverage_warning(today, lang="en")}
