"""Appointments (预约) and after-hours service (延时服务): slots, book, move, cancel."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, request

from engine.core import clock
from engine.core.errors import FieldError, InvalidInput, NotFound
from engine.service import appointments
from web.api.validation import Fields, json_object
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("appointments", __name__)

LONGEST_RANGE = timedelta(days=62)


def day_of(name: str, value: str | None) -> date | None:
    """An ISO date read from field NAME (None when left out)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} is not a date", [FieldError(
            name, "must be an ISO date (2026-03-04)")]) from None


def _known(appointment_id: int) -> int:
    if appointment_id > MAX_ID:
        raise NotFound(f"appointment {appointment_id} not found")
    return appointment_id


@bp.post("/appointment-slots")
def open_slot() -> tuple[dict[str, Any], int]:
    """Open a slot at an office (its staff); outside office hours it needs a duty clerk."""
    body = Fields(json_object())
    office = body.text("office", required=True)
    day = body.text("day", required=True)
    starts, ends = body.text("starts", required=True), body.text("ends", required=True)
    capacity = body.integer("capacity", required=True, minimum=1,
                            maximum=appointments.MAX_CAPACITY)
    duty = body.text("duty_clerk")
    body.done()
    assert office and day and starts and ends and capacity is not None
    when = day_of("day", day)
    assert when is not None
    with transaction() as session:
        slot = appointments.create_slot(session, actor(), office, when, starts, ends, capacity,
                                        duty_clerk=duty)
        return appointments.slot_dict(slot), 201


@bp.get("/appointment-slots")
def slots() -> dict[str, Any]:
    """An office's slots with their free places, from a day (default today) for up to 62 days."""
    query = Fields(request.args, query=True)
    office = query.text("office", required=True)
    first, last = day_of("from", query.text("from")), day_of("until", query.text("until"))
    query.done()
    assert office is not None
    first = first or clock.now().date()
    last = last or first + timedelta(days=14)
    if not timedelta(0) <= last - first <= LONGEST_RANGE:
        raise InvalidInput("the range is not right", [FieldError(
            "until", "must be on or after 'from', at most 62 days later")])
    with transaction() as session:
        rows = appointments.list_slots(session, office, first, last)
        return {"items": [appointments.slot_dict(s) for s in rows]}


@bp.post("/appointments")
def book() -> tuple[dict[str, Any], int]:
    """Book a place (office staff may book for a named applicant)."""
    body = Fields(json_object())
    slot_id = body.integer("slot_id", required=True, minimum=1, maximum=MAX_ID)
    applicant = body.text("applicant")
    case_ref = body.text("case")
    purpose = body.text("purpose", default="") or ""
    phone = body.text("phone")
    body.done()
    assert slot_id is not None
    if len(purpose) > 2000 or (phone is not None and len(phone) > 30):
        raise InvalidInput("a field is too long", [FieldError(
            "purpose" if len(purpose) > 2000 else "phone", "is too long")])
    with transaction() as session:
        made = appointments.book(session, actor(), slot_id, applicant=applicant,
                                 case_ref=case_ref, purpose=purpose, phone=phone)
        return appointments.as_dict(made), 201


@bp.get("/appointments")
def listing() -> dict[str, Any]:
    """The caller's appointments, or (office staff, with 'office') all of an office."""
    query = Fields(request.args, query=True)
    office = query.text("office")
    day = day_of("day", query.text("day"))
    query.done()
    with transaction() as session:
        rows = appointments.visible(session, actor(), office, day)
        return {"items": [appointments.as_dict(a) for a in rows]}


@bp.get("/appointments/<int:appointment_id>")
def one(appointment_id: int) -> dict[str, Any]:
    """One appointment."""
    with transaction() as session:
        return appointments.as_dict(appointments.get(session, _known(appointment_id), actor()))


@bp.post("/appointments/<int:appointment_id>/move")
def move(appointment_id: int) -> dict[str, Any]:
    """Move a booking to another slot of its office."""
    body = Fields(json_object())
    slot_id = body.integer("slot_id", required=True, minimum=1, maximum=MAX_ID)
    body.done()
    assert slot_id is not None
    with transaction() as session:
        moved = appointments.move(session, actor(), _known(appointment_id), slot_id)
        return appointments.as_dict(moved)


@bp.post("/appointments/<int:appointment_id>/cancel")
def cancel(appointment_id: int) -> dict[str, Any]:
    """Cancel a booking; its place is free again."""
    body = Fields(json_object(optional=True))
    reason = body.text("reason", default="") or ""
    body.done()
    with transaction() as session:
        done = appointments.cancel(session, actor(), _known(appointment_id), reason[:2000])
        return appointments.as_dict(done)
