"""Appointments (预约) and after-hours service (延时服务): slots, book, move, cancel."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from flask import Blueprint
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from engine.core import clock
from engine.core.errors import FieldError, InvalidInput
from engine.service import appointments
from web.api.declare import Body, Query, Reply, operation
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("appointments", __name__)

LONGEST_RANGE = timedelta(days=62)
HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
MAX_TEXT = 2000


def _clock_time(value: str) -> str:
    if not re.match(HHMM, value):
        # the engine's words for the same check, rather than pydantic's pattern message
        raise PydanticCustomError("clock_time", "must be a time HH:MM (24 hours)")
    return value


ClockTime = Annotated[str, AfterValidator(_clock_time), Field(
    description="local time of the office (HH:MM)", json_schema_extra={"pattern": HHMM})]
SlotId = Annotated[int, Field(ge=1, le=MAX_ID)]


class OpenSlot(Body):
    office: str = Field(min_length=1, description="office code")
    day: date = Field(strict=False)
    starts: ClockTime
    ends: ClockTime
    capacity: int = Field(ge=1, le=appointments.MAX_CAPACITY)
    duty_clerk: str | None = Field(
        None, description="needed outside office hours; works at the office")


class SlotRange(Query):
    office: str = Field(min_length=1, description="office code (required)")
    first: date | None = Field(None, alias="from", description="first day (default today)")
    until: date | None = Field(None, description="last day (default 14 days on, at most 62)")


class Book(Body):
    slot_id: SlotId
    purpose: str = Field("", max_length=MAX_TEXT)
    phone: str | None = Field(None, max_length=30, description="for SMS confirmations")
    case: str | None = Field(None, description="case id or number this is about")
    applicant: str | None = Field(None, description="office staff: book for this user")


class AppointmentFilter(Query):
    office: str | None = Field(None, description="all of this office (its staff)")
    day: date | None = Field(None, description="only this day")


class MoveAppointment(Body):
    slot_id: SlotId


class CancelService(Body):
    """Why a booking or a visit is called off."""

    reason: str = Field("", max_length=MAX_TEXT)


class Slot(Reply):
    id: int
    office: str
    day: date
    starts: str
    ends: str
    capacity: int
    booked: int
    free: int
    after_hours: bool = Field(description="outside office hours (延时服务)")
    duty_clerk: str | None


class SlotList(Reply):
    items: list[Slot]


class Appointment(Reply):
    id: int
    slot: Slot
    applicant: str
    booked_by: str
    case_id: int | None
    purpose: str
    clerk: str | None
    status: Literal["booked", "cancelled"]
    cancel_reason: str | None
    created_at: datetime
    updated_at: datetime


class AppointmentList(Reply):
    items: list[Appointment]


@bp.post("/appointment-slots")
@operation("openSlot", tag="appointments", body=OpenSlot, ok={201: Slot},
           errors=("403", "404", "409"))
def open_slot(json: OpenSlot) -> tuple[dict[str, Any], int]:
    """Open an appointment slot at an office (its staff)."""
    with transaction() as session:
        slot = appointments.create_slot(session, actor(), json.office, json.day, json.starts,
                                        json.ends, json.capacity, duty_clerk=json.duty_clerk)
        return appointments.slot_dict(slot), 201


@bp.get("/appointment-slots")
@operation("listSlots", tag="appointments", query=SlotRange, ok={200: SlotList},
           errors=("404",))
def slots(query: SlotRange) -> dict[str, Any]:
    """An office's slots with free places."""
    first = query.first or clock.now().date()
    last = query.until or first + timedelta(days=14)
    # the model cannot compare two fields; the range stays bounded so a query stays small
    if not timedelta(0) <= last - first <= LONGEST_RANGE:
        raise InvalidInput("the range is not right", [FieldError(
            "until", "must be on or after 'from', at most 62 days later")])
    with transaction() as session:
        rows = appointments.list_slots(session, query.office, first, last)
        return {"items": [appointments.slot_dict(s) for s in rows]}


@bp.post("/appointments")
@operation("book", tag="appointments", body=Book, ok={201: Appointment},
           errors=("403", "404", "409"))
def book(json: Book) -> tuple[dict[str, Any], int]:
    """Book a place in a slot (预约; 延时服务 outside office hours)."""
    with transaction() as session:
        made = appointments.book(session, actor(), json.slot_id, applicant=json.applicant,
                                 case_ref=json.case, purpose=json.purpose, phone=json.phone)
        return appointments.as_dict(made), 201


@bp.get("/appointments")
@operation("listAppointments", tag="appointments", query=AppointmentFilter,
           ok={200: AppointmentList}, errors=("403", "404"))
def listing(query: AppointmentFilter) -> dict[str, Any]:
    """The caller's appointments, or an office's (staff)."""
    with transaction() as session:
        rows = appointments.visible(session, actor(), query.office, query.day)
        return {"items": [appointments.as_dict(a) for a in rows]}


@bp.get("/appointments/<int:appointment_id>")
@operation("getAppointment", tag="appointments", ok={200: Appointment}, errors=("404",))
def one(appointment_id: int) -> dict[str, Any]:
    """One appointment."""
    with transaction() as session:
        return appointments.as_dict(appointments.get(session, appointment_id, actor()))


@bp.post("/appointments/<int:appointment_id>/move")
@operation("moveAppointment", tag="appointments", body=MoveAppointment,
           ok={200: Appointment}, errors=("404", "409"))
def move(appointment_id: int, json: MoveAppointment) -> dict[str, Any]:
    """Move a booking to another slot of its office."""
    with transaction() as session:
        moved = appointments.move(session, actor(), appointment_id, json.slot_id)
        return appointments.as_dict(moved)


@bp.post("/appointments/<int:appointment_id>/cancel")
@operation("cancelAppointment", tag="appointments", body=CancelService, optional_body=True,
           ok={200: Appointment}, errors=("404", "409"))
def cancel(appointment_id: int, json: CancelService) -> dict[str, Any]:
    """Cancel a booking."""
    with transaction() as session:
        done = appointments.cancel(session, actor(), appointment_id, json.reason)
        return appointments.as_dict(done)
