"""Commitment clocks (承诺时限) of a case, their extension (延期), and the working-day calendar."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from engine import workdays
from engine.casework import cases, permissions
from engine.core import clock
from engine.core.errors import FieldError, Forbidden, InvalidInput, NotFound
from engine.models import Case
from engine.models.clocks import CASE_SCOPE
from engine.timelimits import clocks
from engine.timelimits.clocks.operations import MAX_EXTENSION_DAYS
from web import refs
from web.api.validation import Fields, json_object
from web.context import actor, transaction

bp = Blueprint("clocks", __name__)

FIRST_YEAR, LAST_YEAR = 1900, 2200


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
def show(case_ref: str) -> dict[str, Any]:
    """The case's commitment clock with the clock of each item."""
    with transaction() as session:
        return _shown(session, visible_case(session, case_ref))


@bp.post("/cases/<case_ref>/clock/extend")
def extend(case_ref: str) -> dict[str, Any]:
    """Extend a running clock once; the caller (a leader or supervisor) is the approver.

    A case the caller may not see answers 404, so its number gives nothing away.
    """
    body = Fields(json_object())
    days = body.integer("days", required=True, minimum=1,
                        maximum=MAX_EXTENSION_DAYS)
    reason = body.text("reason", required=True)
    scope = body.text("scope", default=CASE_SCOPE) or CASE_SCOPE
    body.done()
    assert days is not None and reason is not None
    if len(reason) > 2000:
        raise InvalidInput("the reason is too long / 延期理由过长",
                           [FieldError("reason", "is longer than 2000 characters")])
    with transaction() as session:
        case = seen_or_missing(session, case_ref)
        clocks.extend(session, case.id, actor(), days, reason, scope=scope, now=clock.now())
        return _shown(session, case)


@bp.get("/calendar/coverage")
def coverage() -> dict[str, Any]:
    """Where a year's working days come from (package, file or none) and if confirmed."""
    query = Fields(request.args, query=True)
    year = query.integer("year", required=True, minimum=FIRST_YEAR, maximum=LAST_YEAR)
    query.done()
    assert year is not None
    found = workdays.coverage(year)
    return {"year": found.year, "source": found.source, "file": found.file,
            "holidays": found.holidays, "workdays": found.workdays,
            "closures": found.closures, "confirmed": found.confirmed,
            "covered": found.covered}


@bp.get("/calendar/warning")
def warning() -> dict[str, Any]:
    """The calendar warning of today (next 60 days not confirmed), or null."""
    Fields(request.args, query=True).done()
    today = clock.now().date()
    return {"today": today.isoformat(), "warning": workdays.coverage_warning(today),
            "zh": workdays.coverage_warning(today, lang="zh"),
            "en": workdays.coverage_warning(today, lang="en")}
