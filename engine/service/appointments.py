"""Appointments (预约) and after-hours service (延时服务): office slots, book, move, cancel.

A slot is a time window of one office on one day with a number of places. Slots outside
office hours (the lunch break, evenings, weekends) are after-hours slots and name the duty
clerk who serves them. A place is taken with a conditional UPDATE (``booked < capacity``),
so two bookings at the same moment can never overfill a slot: the database serialises
them on the slot row and the second one finds it full. The applicant gets a confirmation
at once and a reminder the day before (a job).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.casework import permissions
from engine.casework.cases import get_case
from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from engine.core.extensions import job_kind
from engine.models import Appointment, AppointmentSlot, Job, Office
from engine.org import roles, users
from engine.org.offices.members import OFFICE_PREFIX
from engine.org.offices.routing import get_office
from engine.service.notifications.outbox import notify

# office hours of the county's halls (local time): 9:00-12:00 and 13:30-17:00, Monday-Friday
OFFICE_HOURS = ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 0)))
REMINDER_KIND = "appointment_reminder"
REMIND_AT = time(9, 0)
MAX_CAPACITY = 500
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def office_staff(actor: Actor, office_code: str) -> bool:
    """Whether ACTOR works at OFFICE_CODE (or may see every office)."""
    return roles.sees_everything(actor) or f"{OFFICE_PREFIX}{office_code}" in actor.groups


def applicant_name(actor: Actor) -> str:
    """The applicant ACTOR stands for: itself, or its principal when acting as agent."""
    return actor.on_behalf_of or actor.username


def is_after_hours(day: date, starts: time, ends: time) -> bool:
    """Whether a window lies outside office hours (weekend, lunch break, evening)."""
    if day.weekday() >= 5:
        return True
    return not any(open_ <= starts and ends <= close for open_, close in OFFICE_HOURS)


def _clock_time(value: str, field: str, errors: list[FieldError]) -> time:
    if not isinstance(value, str) or not _HHMM.match(value):
        errors.append(FieldError(field, "must be a time HH:MM (24 hours)"))
        return time(0)
    return time.fromisoformat(value)


def _begins(slot: AppointmentSlot, office: Office) -> datetime:
    return datetime.combine(slot.day, time.fromisoformat(slot.starts),
                            ZoneInfo(office.timezone))


def create_slot(session: Session, actor: Actor, office_code: str, day: date, starts: str,
                ends: str, capacity: int, duty_clerk: str | None = None) -> AppointmentSlot:
    """Open a slot of CAPACITY places at an office (its staff or an admin)."""
    office = get_office(session, office_code)
    if not office_staff(actor, office.code):
        raise Forbidden.of("%(user)s does not work at %(office)s", user=actor.username,
                           office=office.code)
    errors: list[FieldError] = []
    begin, end = _clock_time(starts, "starts", errors), _clock_time(ends, "ends", errors)
    if not errors and end <= begin:
        errors.append(FieldError("ends", "must be after starts"))
    if not 1 <= capacity <= MAX_CAPACITY:
        errors.append(FieldError("capacity", f"must be 1 to {MAX_CAPACITY}"))
    today = clock.now().astimezone(ZoneInfo(office.timezone)).date()
    if day < today:
        errors.append(FieldError("day", "is in the past"))
    after_hours = not errors and is_after_hours(day, begin, end)
    if after_hours and not duty_clerk:
        errors.append(FieldError("duty_clerk", "an after-hours slot needs a duty clerk"))
    if duty_clerk and f"{OFFICE_PREFIX}{office.code}" not in users.get_user(
            session, duty_clerk).groups:
        errors.append(FieldError("duty_clerk", f"{duty_clerk} does not work at {office.code}"))
    if errors:
        raise InvalidInput("the slot has errors", errors)
    if session.scalar(select(AppointmentSlot.id).where(
            AppointmentSlot.office_code == office.code, AppointmentSlot.day == day,
            AppointmentSlot.starts == starts)) is not None:
        raise Conflict(f"{office.code} already has a slot on {day} at {starts}")
    slot = AppointmentSlot(office_code=office.code, day=day, starts=starts, ends=ends,
                           capacity=capacity, booked=0, after_hours=after_hours,
                           duty_clerk=duty_clerk, created_by=actor.label,
                           created_at=clock.now())
    session.add(slot)
    session.flush()
    audit.record(session, actor, "appointment.slot_opened", after=slot_dict(slot))
    return slot


def list_slots(session: Session, office_code: str, day_from: date,
               day_until: date) -> list[AppointmentSlot]:
    """The slots of an office from DAY_FROM to DAY_UNTIL, in time order."""
    get_office(session, office_code)
    return list(session.scalars(select(AppointmentSlot).where(
        AppointmentSlot.office_code == office_code, AppointmentSlot.day >= day_from,
        AppointmentSlot.day <= day_until).order_by(AppointmentSlot.day, AppointmentSlot.starts)))


def _bookable(session: Session, slot_id: int) -> AppointmentSlot:
    slot = session.get(AppointmentSlot, slot_id)
    if slot is None:
        raise NotFound.of("slot %(slot)s not found", slot=slot_id)
    office = get_office(session, slot.office_code)
    if _begins(slot, office) <= clock.now():
        raise Conflict.of("slot %(slot)s (%(day)s %(starts)s) has already begun", slot=slot.id,
                          day=str(slot.day), starts=str(slot.starts))
    return slot


def _take_place(session: Session, slot: AppointmentSlot) -> None:
    """Take one place, or Conflict when the slot is full (also against concurrent bookings)."""
    taken = session.execute(
        update(AppointmentSlot)
        .where(AppointmentSlot.id == slot.id, AppointmentSlot.booked < AppointmentSlot.capacity)
        .values(booked=AppointmentSlot.booked + 1)
        .execution_options(synchronize_session=False))
    session.refresh(slot)
    if taken.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict.of("slot %(slot)s (%(day)s %(starts)s) is full", slot=slot.id,
                          day=str(slot.day), starts=str(slot.starts))


def _give_back(session: Session, slot: AppointmentSlot) -> None:
    session.execute(update(AppointmentSlot)
                    .where(AppointmentSlot.id == slot.id, AppointmentSlot.booked > 0)
                    .values(booked=AppointmentSlot.booked - 1)
                    .execution_options(synchronize_session=False))
    session.refresh(slot)


def book(session: Session, actor: Actor, slot_id: int, *, applicant: str | None = None,
         case_ref: str | None = None, purpose: str = "", phone: str | None = None) -> Appointment:
    """Book a place in a slot for ACTOR (office staff may name another APPLICANT)."""
    slot = _bookable(session, slot_id)
    who = applicant or applicant_name(actor)
    if who != applicant_name(actor):
        if not office_staff(actor, slot.office_code):
            raise Forbidden(f"{actor.username} may book only for {applicant_name(actor)}")
        users.get_user(session, who)
    case_id = None
    if case_ref is not None:
        case = get_case(session, case_ref)
        permissions.check_visible(session, case, actor)
        case_id = case.id
    if session.scalar(select(Appointment.id).where(
            Appointment.slot_id == slot.id, Appointment.applicant == who,
            Appointment.status == "booked")) is not None:
        raise Conflict.of("%(user)s already holds a place in slot %(slot)s", user=who,
                          slot=slot.id)
    _take_place(session, slot)
    now = clock.now()
    booking = Appointment(slot_id=slot.id, applicant=who, booked_by=actor.label,
                          case_id=case_id, purpose=purpose, phone=phone,
                          clerk=slot.duty_clerk, status="booked", created_at=now,
                          updated_at=now)
    session.add(booking)
    session.flush()
    audit.record(session, actor, "appointment.booked", case_id=case_id,
                 after=as_dict(booking), appointment=booking.id)
    _tell(session, booking, "appointment_confirmed")
    _schedule_reminder(session, booking)
    return booking


def get(session: Session, appointment_id: int, actor: Actor) -> Appointment:
    """An appointment its applicant, booker or office staff may see."""
    booking = session.get(Appointment, appointment_id)
    if booking is None or not (
            booking.applicant == applicant_name(actor) or booking.booked_by == actor.label
            or office_staff(actor, booking.slot.office_code)):
        raise NotFound.of("appointment %(booking)s not found", booking=appointment_id)
    return booking


def _active(session: Session, appointment_id: int, actor: Actor) -> Appointment:
    booking = get(session, appointment_id, actor)
    if booking.status != "booked":
        raise Conflict(f"appointment {booking.id} is {booking.status}")
    return booking


def move(session: Session, actor: Actor, appointment_id: int, slot_id: int) -> Appointment:
    """Move a booking to another slot of the same office (its place there must be free)."""
    booking = _active(session, appointment_id, actor)
    old = booking.slot
    if _begins(old, get_office(session, old.office_code)) <= clock.now():
        raise Conflict.of("appointment %(booking)s has already begun", booking=booking.id)
    if slot_id == old.id:
        raise Conflict.of("appointment %(booking)s is already in slot %(slot)s",
                          booking=booking.id, slot=slot_id)
    new = _bookable(session, slot_id)
    if new.office_code != old.office_code:
        raise InvalidInput("a booking moves within its office", [FieldError(
            "slot_id", f"slot {new.id} belongs to {new.office_code}, not {old.office_code}")])
    _take_place(session, new)
    _give_back(session, old)
    before = as_dict(booking)
    booking.slot_id, booking.slot, booking.clerk = new.id, new, new.duty_clerk
    booking.updated_at = clock.now()
    audit.record(session, actor, "appointment.moved", case_id=booking.case_id, before=before,
                 after=as_dict(booking), appointment=booking.id)
    _tell(session, booking, "appointment_confirmed")
    _schedule_reminder(session, booking)
    return booking


def cancel(session: Session, actor: Actor, appointment_id: int,
           reason: str = "") -> Appointment:
    """Cancel a booking and give its place back."""
    booking = _active(session, appointment_id, actor)
    _give_back(session, booking.slot)
    booking.status, booking.cancel_reason, booking.updated_at = "cancelled", reason, clock.now()
    audit.record(session, actor, "appointment.cancelled", case_id=booking.case_id,
                 before={"status": "booked"}, after={"status": "cancelled", "reason": reason},
                 appointment=booking.id)
    return booking


def visible(session: Session, actor: Actor, office_code: str | None = None,
            day: date | None = None) -> list[Appointment]:
    """ACTOR's own appointments, or (for its staff) every appointment of an office."""
    query = select(Appointment).join(AppointmentSlot)
    if office_code is not None:
        get_office(session, office_code)
        if not office_staff(actor, office_code):
            raise Forbidden(f"{actor.username} does not work at {office_code}")
        query = query.where(AppointmentSlot.office_code == office_code)
    else:
        query = query.where(Appointment.applicant == applicant_name(actor))
    if day is not None:
        query = query.where(AppointmentSlot.day == day)
    return list(session.scalars(query.order_by(AppointmentSlot.day, AppointmentSlot.starts,
                                               Appointment.id)))


def _message(session: Session, booking: Appointment) -> dict[str, Any]:
    office = get_office(session, booking.slot.office_code)
    slot = booking.slot
    duty = f"延时服务由{slot.duty_clerk}值班接待。" if slot.after_hours else ""
    duty_en = f"After-hours service: {slot.duty_clerk} is on duty. " if slot.after_hours else ""
    return {"appointment_id": booking.id, "office_zh": office.name_zh,
            "office_en": office.name_en or office.name_zh, "day": slot.day.isoformat(),
            "starts": slot.starts, "ends": slot.ends, "after_hours_zh": duty,
            "after_hours_en": duty_en}


def _tell(session: Session, booking: Appointment, template: str) -> None:
    notify(session, template, _message(session, booking), user=booking.applicant,
           phone=booking.phone, case_id=booking.case_id)


def _schedule_reminder(session: Session, booking: Appointment) -> None:
    """A reminder at 9:00 the day before, unless that moment has passed already."""
    office = get_office(session, booking.slot.office_code)
    due = datetime.combine(booking.slot.day - timedelta(days=1), REMIND_AT,
                           ZoneInfo(office.timezone))
    if due <= clock.now():
        return
    session.add(Job(kind=REMINDER_KIND, case_id=booking.case_id,
                    key=f"appointment:{booking.id}:{booking.slot_id}", due_at=due,
                    status="pending", attempts=0, max_attempts=5,
                    payload={"appointment_id": booking.id, "slot_id": booking.slot_id},
                    created_at=clock.now()))


def remind(session: Session, appointment_id: int, slot_id: int) -> bool:
    """Send the reminder of a booking still held in SLOT_ID; whether one was sent."""
    booking = session.get(Appointment, appointment_id)
    if booking is None or booking.status != "booked" or booking.slot_id != slot_id:
        return False  # cancelled or moved since: the move scheduled its own reminder
    _tell(session, booking, "appointment_reminder")
    return True


@job_kind(REMINDER_KIND)
def _reminder_handler(_rt: Any) -> Callable[[Session, Job], None]:
    def run(session: Session, job: Job) -> None:
        remind(session, int(job.payload["appointment_id"]), int(job.payload["slot_id"]))
    return run


def slot_dict(slot: AppointmentSlot) -> dict[str, Any]:
    return {"id": slot.id, "office": slot.office_code, "day": slot.day.isoformat(),
            "starts": slot.starts, "ends": slot.ends, "capacity": slot.capacity,
            "booked": slot.booked, "free": slot.capacity - slot.booked,
            "after_hours": slot.after_hours, "duty_clerk": slot.duty_clerk}


def as_dict(booking: Appointment) -> dict[str, Any]:
    return {"id": booking.id, "slot": slot_dict(booking.slot), "applicant": booking.applicant,
            "booked_by": booking.booked_by, "case_id": booking.case_id,
            "purpose": booking.purpose, "clerk": booking.clerk, "status": booking.status,
            "cancel_reason": booking.cancel_reason,
            "created_at": booking.created_at.isoformat(),
            "updated_at": booking.updated_at.isoformat()}
