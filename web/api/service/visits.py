"""Service outside the hall: door-to-door visits (上门服务) and mobile-window intakes (移动窗口)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from flask import Blueprint
from pydantic import Field

from engine.service import mobile_window, visits
from web.api.declare import Body, Query, Reply, operation
from web.api.service.appointments import MAX_TEXT, CancelService
from web.context import actor, engine, transaction

bp = Blueprint("visits", __name__)

# the choices of engine.service.visits (REASONS, STATUSES)
ReasonKind = Literal["park_enterprise", "cannot_travel"]
VisitStatus = Literal["requested", "assigned", "done", "cancelled"]


class AskVisit(Body):
    office: str = Field(min_length=1, description="office code")
    # the engine says what a full address is; the bounds here are what a row can hold
    address: str = Field(max_length=300)
    reason_kind: ReasonKind
    reason: str = Field(min_length=1, max_length=MAX_TEXT, description=(
        "the park enterprise, or why the applicant cannot travel"))
    window_from: datetime = Field(strict=False, description="with an offset (+08:00)")
    window_until: datetime = Field(strict=False, description="within 12 hours")
    phone: str | None = Field(None, max_length=30)
    case: str | None = Field(None, description="case id or number this is about")
    applicant: str | None = Field(None, description="office staff: ask for this user")


class VisitFilter(Query):
    office: str | None = Field(None, description="all of this office (its staff)")
    status: VisitStatus | None = Field(None, description="only visits in this status")


class AssignVisit(Body):
    clerk: str = Field(min_length=1, description="a clerk of the visit's office")


class VisitOutcome(Body):
    materials_collected: bool = False
    onsite_check_done: bool = False
    notes: str = Field("", max_length=MAX_TEXT)


class NewMobileIntake(Body):
    office: str = Field(min_length=1, description="office code")
    town: str = Field(min_length=1, max_length=100)
    place: str = Field(min_length=1, max_length=200)
    market_day: date = Field(strict=False, description="today or within the last 7 days")
    process: str = Field(min_length=1, description="bundle key or process id")
    data: dict[str, Any] | None = Field(None, description="the case's start data")
    business_key: str | None = None


class IntakeFilter(Query):
    office: str = Field(min_length=1, description="office code")


class Visit(Reply):
    id: int
    applicant: str
    requested_by: str
    office: str
    case_id: int | None
    address: str
    reason_kind: ReasonKind
    reason: str
    window_from: datetime
    window_until: datetime
    clerk: str | None
    status: VisitStatus
    materials_collected: bool | None
    onsite_check_done: bool | None
    notes: str | None
    created_at: datetime
    updated_at: datetime


class VisitList(Reply):
    items: list[Visit]


class MobileIntake(Reply):
    id: int
    office: str
    town: str
    place: str
    market_day: date
    clerk: str
    case_id: int
    case_number: str
    created_at: datetime


class MobileIntakeList(Reply):
    items: list[MobileIntake]


@bp.post("/visits")
@operation("askVisit", tag="visits", body=AskVisit, ok={201: Visit}, errors=("403", "404"))
def ask(json: AskVisit) -> tuple[dict[str, Any], int]:
    """Ask for a door-to-door visit (上门服务)."""
    with transaction() as session:
        visit = visits.request(session, actor(), json.office, json.address, json.reason_kind,
                               json.reason, json.window_from, json.window_until,
                               phone=json.phone, case_ref=json.case, applicant=json.applicant)
        return visits.as_dict(visit), 201


@bp.get("/visits")
@operation("listVisits", tag="visits", query=VisitFilter, ok={200: VisitList},
           errors=("403", "404"))
def listing(query: VisitFilter) -> dict[str, Any]:
    """The caller's visits, or an office's (staff)."""
    with transaction() as session:
        return {"items": [visits.as_dict(v) for v in visits.visible(
            session, actor(), query.office, query.status)]}


@bp.get("/visits/<int:visit_id>")
@operation("getVisit", tag="visits", ok={200: Visit}, errors=("404",))
def one(visit_id: int) -> dict[str, Any]:
    """One visit."""
    with transaction() as session:
        return visits.as_dict(visits.get(session, visit_id, actor()))


@bp.post("/visits/<int:visit_id>/assign")
@operation("assignVisit", tag="visits", body=AssignVisit, ok={200: Visit},
           errors=("403", "404", "409"))
def assign(visit_id: int, json: AssignVisit) -> dict[str, Any]:
    """Send a clerk of the office (office staff)."""
    with transaction() as session:
        return visits.as_dict(visits.assign(session, actor(), visit_id, json.clerk))


@bp.post("/visits/<int:visit_id>/outcome")
@operation("recordVisit", tag="visits", body=VisitOutcome, ok={200: Visit},
           errors=("403", "404", "409"))
def outcome(visit_id: int, json: VisitOutcome) -> dict[str, Any]:
    """Record materials collected and the on-site check."""
    with transaction() as session:
        return visits.as_dict(visits.record_outcome(
            session, actor(), visit_id, materials_collected=json.materials_collected,
            onsite_check_done=json.onsite_check_done, notes=json.notes))


@bp.post("/visits/<int:visit_id>/cancel")
@operation("cancelVisit", tag="visits", body=CancelService, optional_body=True,
           ok={200: Visit}, errors=("404", "409"))
def cancel(visit_id: int, json: CancelService) -> dict[str, Any]:
    """Call a visit off."""
    with transaction() as session:
        return visits.as_dict(visits.cancel(session, actor(), visit_id, json.reason))


@bp.post("/mobile-intakes")
@operation("mobileIntake", tag="visits", body=NewMobileIntake, ok={201: MobileIntake},
           errors=("403", "404"))
def intake(json: NewMobileIntake) -> tuple[dict[str, Any], int]:
    """Take an application at a market-day location (移动窗口) and start its case."""
    with transaction() as session:
        made, case = mobile_window.record_intake(
            engine(), session, actor(), json.office, json.town, json.place, json.market_day,
            json.process, json.data or {}, business_key=json.business_key)
        return mobile_window.as_dict(made, case.number), 201


@bp.get("/mobile-intakes")
@operation("listMobileIntakes", tag="visits", query=IntakeFilter, ok={200: MobileIntakeList},
           errors=("403", "404"))
def intakes(query: IntakeFilter) -> dict[str, Any]:
    """An office's mobile-window intakes (staff)."""
    with transaction() as session:
        return {"items": [mobile_window.as_dict(i, number) for i, number in
                          mobile_window.intakes(session, actor(), query.office)]}
