"""Service outside the hall: door-to-door visits (上门服务) and mobile-window intakes (移动窗口)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, request

from engine.core.errors import FieldError, InvalidInput, NotFound
from engine.service import mobile_window, visits
from web.api.service.appointments import day_of
from web.api.validation import Fields, json_object
from web.context import actor, engine, transaction
from web.refs import MAX_ID

bp = Blueprint("visits", __name__)

MAX_TEXT = 2000


def _moment(name: str, value: str | None) -> datetime:
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidInput(f"{name} is not a date-time", [FieldError(
            name, "must be an ISO 8601 date-time with an offset (2026-03-04T14:00:00+08:00)")])
    return moment


def _short(fields: dict[str, str | None]) -> None:
    long = [FieldError(k, f"is longer than {MAX_TEXT} characters")
            for k, v in fields.items() if v is not None and len(v) > MAX_TEXT]
    if long:
        raise InvalidInput("a field is too long", long)


def _known(visit_id: int) -> int:
    if visit_id > MAX_ID:
        raise NotFound(f"visit {visit_id} not found")
    return visit_id


@bp.post("/visits")
def ask() -> tuple[dict[str, Any], int]:
    """Ask an office for a door-to-door visit (park enterprises, people who cannot travel)."""
    body = Fields(json_object())
    office = body.text("office", required=True)
    address = body.text("address", required=True)
    kind = body.text("reason_kind", required=True, choices=visits.REASONS)
    reason = body.text("reason", required=True)
    start, end = body.text("window_from", required=True), body.text("window_until", required=True)
    phone, case_ref, applicant = body.text("phone"), body.text("case"), body.text("applicant")
    body.done()
    assert office and address and kind and reason
    _short({"address": address, "reason": reason, "phone": phone})
    with transaction() as session:
        visit = visits.request(session, actor(), office, address, kind, reason,
                               _moment("window_from", start), _moment("window_until", end),
                               phone=phone, case_ref=case_ref, applicant=applicant)
        return visits.as_dict(visit), 201


@bp.get("/visits")
def listing() -> dict[str, Any]:
    """The caller's visits (asked for or sent on), or (office staff) all of an office."""
    query = Fields(request.args, query=True)
    office = query.text("office")
    status = query.text("status", choices=visits.STATUSES)
    query.done()
    with transaction() as session:
        return {"items": [visits.as_dict(v)
                          for v in visits.visible(session, actor(), office, status)]}


@bp.get("/visits/<int:visit_id>")
def one(visit_id: int) -> dict[str, Any]:
    """One visit."""
    with transaction() as session:
        return visits.as_dict(visits.get(session, _known(visit_id), actor()))


@bp.post("/visits/<int:visit_id>/assign")
def assign(visit_id: int) -> dict[str, Any]:
    """Send a clerk of the office on the visit (office staff)."""
    body = Fields(json_object())
    clerk = body.text("clerk", required=True)
    body.done()
    assert clerk is not None
    with transaction() as session:
        return visits.as_dict(visits.assign(session, actor(), _known(visit_id), clerk))


@bp.post("/visits/<int:visit_id>/outcome")
def outcome(visit_id: int) -> dict[str, Any]:
    """Record what was done on site (the clerk sent, or office staff)."""
    body = Fields(json_object())
    collected = body.flag("materials_collected")
    checked = body.flag("onsite_check_done")
    notes = body.text("notes", default="") or ""
    body.done()
    _short({"notes": notes})
    with transaction() as session:
        return visits.as_dict(visits.record_outcome(
            session, actor(), _known(visit_id), materials_collected=collected,
            onsite_check_done=checked, notes=notes))


@bp.post("/visits/<int:visit_id>/cancel")
def cancel(visit_id: int) -> dict[str, Any]:
    """Call a visit off before it is done (its applicant or office staff)."""
    body = Fields(json_object(optional=True))
    reason = body.text("reason", default="") or ""
    body.done()
    _short({"reason": reason})
    with transaction() as session:
        return visits.as_dict(visits.cancel(session, actor(), _known(visit_id), reason))


@bp.post("/mobile-intakes")
def intake() -> tuple[dict[str, Any], int]:
    """Take an application at a market-day location: record it and start its case."""
    body = Fields(json_object())
    office = body.text("office", required=True)
    town, place = body.text("town", required=True), body.text("place", required=True)
    day = body.text("market_day", required=True)
    process = body.text("process", required=True)
    data = body.mapping("data") or {}
    business_key = body.text("business_key")
    body.done()
    assert office and town and place and day and process
    _short({"town": town, "place": place})
    market_day = day_of("market_day", day)
    assert market_day is not None
    with transaction() as session:
        made, case = mobile_window.record_intake(engine(), session, actor(), office, town,
                                                 place, market_day, process, data,
                                                 business_key=business_key)
        return mobile_window.as_dict(made, case.number), 201


@bp.get("/mobile-intakes")
def intakes() -> dict[str, Any]:
    """An office's mobile-window intakes, newest first (office staff)."""
    query = Fields(request.args, query=True)
    office = query.text("office", required=True)
    query.done()
    assert office is not None
    with transaction() as session:
        return {"items": [mobile_window.as_dict(i, number)
                          for i, number in mobile_window.intakes(session, actor(), office)]}
