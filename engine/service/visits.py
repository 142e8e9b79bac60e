"""Door-to-door service (上门服务): request, assign a clerk, record the outcome, cancel.

Who may ask: enterprises of the circular economy park (``park_enterprise``) and people
who cannot travel to a hall (``cannot_travel``: age, illness, disability), with a reason.
The office's staff assign one of their clerks; that clerk records what was done on site.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework import permissions
from engine.casework.cases import get_case
from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from engine.models import Visit
from engine.org import users
from engine.org.offices.members import OFFICE_PREFIX
from engine.org.offices.routing import get_office
from engine.service.appointments import applicant_name, office_staff
from engine.service.notifications.outbox import notify

REASONS = ("park_enterprise", "cannot_travel")
STATUSES = ("requested", "assigned", "done", "cancelled")
LONGEST_WINDOW = timedelta(hours=12)


def _check_window(window_from: datetime, window_until: datetime) -> list[FieldError]:
    if window_from.tzinfo is None or window_until.tzinfo is None:
        return [FieldError("window_from", "times need an offset (+08:00)")]
    if window_from <= clock.now():
        return [FieldError("window_from", "must be in the future")]
    if not timedelta(0) < window_until - window_from <= LONGEST_WINDOW:
        return [FieldError("window_until", "must be after window_from, within 12 hours")]
    return []


def request(session: Session, actor: Actor, office_code: str, address: str,
            reason_kind: str, reason: str, window_from: datetime, window_until: datetime, *,
            phone: str | None = None, case_ref: str | None = None,
            applicant: str | None = None) -> Visit:
    """Ask an office for a visit at ADDRESS within a time window."""
    office = get_office(session, office_code)
    who = applicant or applicant_name(actor)
    if who != applicant_name(actor):
        if not office_staff(actor, office.code):
            raise Forbidden(f"{actor.username} may ask only for {applicant_name(actor)}")
        users.get_user(session, who)
    errors = _check_window(window_from, window_until)
    if reason_kind not in REASONS:
        errors.append(FieldError("reason_kind", f"must be one of {', '.join(REASONS)}"))
    if len(reason.strip()) < 2:
        errors.append(FieldError("reason", "say why (the park enterprise, or why the "
                                           "applicant cannot travel)"))
    if len(address.strip()) < 4:
        errors.append(FieldError("address", "must be a full address"))
    if errors:
        raise InvalidInput("the visit request has errors", errors)
    case_id = None
    if case_ref is not None:
        case = get_case(session, case_ref)
        permissions.check_visible(session, case, actor)
        case_id = case.id
    now = clock.now()
    visit = Visit(applicant=who, requested_by=actor.label, office_code=office.code,
                  case_id=case_id, address=address.strip(), phone=phone,
                  reason_kind=reason_kind, reason=reason.strip(), window_from=window_from,
                  window_until=window_until, status="requested", created_at=now,
                  updated_at=now)
    session.add(visit)
    session.flush()
    audit.record(session, actor, "visit.requested", case_id=case_id, after=as_dict(visit),
                 visit=visit.id)
    return visit


def get(session: Session, visit_id: int, actor: Actor) -> Visit:
    """A visit its applicant, requester or office staff may see."""
    visit = session.get(Visit, visit_id)
    if visit is None or not (visit.applicant == applicant_name(actor)
                             or visit.requested_by == actor.label
                             or visit.clerk == actor.username
                             or office_staff(actor, visit.office_code)):
        raise NotFound(f"visit {visit_id} not found")
    return visit


def _in_state(visit: Visit, *states: str) -> None:
    if visit.status not in states:
        raise Conflict(f"visit {visit.id} is {visit.status}")


def assign(session: Session, actor: Actor, visit_id: int, clerk: str) -> Visit:
    """Send CLERK (who works at the visit's office) on the visit; office staff only."""
    visit = get(session, visit_id, actor)
    if not office_staff(actor, visit.office_code):
        raise Forbidden(f"{actor.username} does not work at {visit.office_code}")
    _in_state(visit, "requested", "assigned")
    if f"{OFFICE_PREFIX}{visit.office_code}" not in users.get_user(session, clerk).groups:
        raise InvalidInput("the clerk must work at the office", [FieldError(
            "clerk", f"{clerk} does not work at {visit.office_code}")])
    before = {"status": visit.status, "clerk": visit.clerk}
    visit.clerk, visit.status, visit.updated_at = clerk, "assigned", clock.now()
    audit.record(session, actor, "visit.assigned", case_id=visit.case_id, before=before,
                 after={"status": "assigned", "clerk": clerk}, visit=visit.id)
    local = ZoneInfo(get_office(session, visit.office_code).timezone)
    start, end = visit.window_from.astimezone(local), visit.window_until.astimezone(local)
    window = f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
    notify(session, "visit_assigned", {"clerk": clerk, "address": visit.address,
                                       "window_zh": window, "window_en": window},
           user=visit.applicant, phone=visit.phone, case_id=visit.case_id)
    return visit


def record_outcome(session: Session, actor: Actor, visit_id: int, *,
                   materials_collected: bool, onsite_check_done: bool,
                   notes: str = "") -> Visit:
    """Record what the visit achieved (the assigned clerk or office staff)."""
    visit = get(session, visit_id, actor)
    if visit.clerk != actor.username and not office_staff(actor, visit.office_code):
        raise Forbidden(f"only {visit.clerk} or staff of {visit.office_code} may record this")
    _in_state(visit, "assigned")
    visit.materials_collected, visit.onsite_check_done = materials_collected, onsite_check_done
    visit.notes, visit.status, visit.updated_at = notes, "done", clock.now()
    audit.record(session, actor, "visit.done", case_id=visit.case_id,
                 before={"status": "assigned"}, after=as_dict(visit), visit=visit.id)
    return visit


def cancel(session: Session, actor: Actor, visit_id: int, reason: str = "") -> Visit:
    """Call a visit off (its applicant or office staff) before it is done."""
    visit = get(session, visit_id, actor)
    _in_state(visit, "requested", "assigned")
    before = visit.status
    visit.status, visit.notes, visit.updated_at = "cancelled", reason, clock.now()
    audit.record(session, actor, "visit.cancelled", case_id=visit.case_id,
                 before={"status": before}, after={"status": "cancelled", "reason": reason},
                 visit=visit.id)
    return visit


def visible(session: Session, actor: Actor, office_code: str | None = None,
            status: str | None = None) -> list[Visit]:
    """ACTOR's own visits and those it is sent on, or (for staff) every visit of an office."""
    query = select(Visit)
    if office_code is not None:
        get_office(session, office_code)
        if not office_staff(actor, office_code):
            raise Forbidden(f"{actor.username} does not work at {office_code}")
        query = query.where(Visit.office_code == office_code)
    else:
        query = query.where((Visit.applicant == applicant_name(actor))
                            | (Visit.clerk == actor.username))
    if status is not None:
        query = query.where(Visit.status == status)
    return list(session.scalars(query.order_by(Visit.window_from, Visit.id)))


def as_dict(visit: Visit) -> dict[str, Any]:
    return {"id": visit.id, "applicant": visit.applicant, "requested_by": visit.requested_by,
            "office": visit.office_code, "case_id": visit.case_id, "address": visit.address,
            "reason_kind": visit.reason_kind, "reason": visit.reason,
            "window_from": visit.window_from.isoformat(),
            "window_until": visit.window_until.isoformat(), "clerk": visit.clerk,
            "status": visit.status, "materials_collected": visit.materials_collected,
            "onsite_check_done": visit.onsite_check_done, "notes": visit.notes,
            "created_at": visit.created_at.isoformat(),
            "updated_at": visit.updated_at.isoformat()}
