"""The applicant's service pages in the portal: appointments (预约, with after-hours slots
延时服务), door-to-door visits (上门服务), and the commitment clock on the case page.

The engine (engine.service.appointments, engine.service.visits,
engine.timelimits.clocks) decides everything; these views only read forms, call it and
put its refusals in the applicant's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from engine.core import clock
from engine.core.errors import Conflict, InvalidInput, NotFound, OnethingError
from engine.models import AppointmentSlot, Case, Office
from engine.org.offices.routing import get_office
from engine.service import appointments, visits
from engine.timelimits.clocks import case_clock
from web.context import transaction
from web.ui import guard
from web.ui.guard import APPLICANT_GROUPS
from web.ui.i18n import _, lang

bp = Blueprint("portal_service", __name__, url_prefix="/portal")

# how far ahead a booking may be moved: the slots of the next days are offered
MOVE_DAYS = 14


@dataclass
class Commitment:
    """The case's commitment clock as the tracking page shows it."""

    due: datetime
    used: int
    committed: int
    unit: str
    paused: bool
    level: str
    confirmed: bool
    extended: bool
    finished: datetime | None
    on_time: bool | None


def _office_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name in the page's language) of every office, by code."""
    return [(o.code, (o.name_en or o.name_zh) if lang() == "en" else o.name_zh)
            for o in session.scalars(select(Office).order_by(Office.code))]


def _today(office: Office | None) -> date:
    zone = ZoneInfo(office.timezone if office else "Asia/Shanghai")
    return clock.now().astimezone(zone).date()


def _explain(err: OnethingError) -> str:
    """An engine refusal of a booking or visit in the applicant's words."""
    text = err.message
    known = (("is full", _("That slot is full. Please choose another one.")),
             ("already begun", _("That time has already passed. Please choose a later one.")),
             ("already holds a place", _("You have already booked this slot.")),
             ("already in slot", _("Your booking is already in that slot.")),
             ("moves within its office", _("A booking can only move to a slot of the same "
                                           "office.")))
    for marker, said in known:
        if marker in text:
            return said
    if isinstance(err, NotFound):
        return _("It was not found; it may have been removed.")
    if isinstance(err, Conflict):
        return _("This can no longer be changed (%(detail)s).", detail=text)
    return _("The request could not be handled: %(detail)s", detail=text)


def _begins(session: Session, slot: AppointmentSlot) -> datetime:
    """When SLOT begins, in its office's time zone."""
    office = get_office(session, slot.office_code)
    return datetime.combine(slot.day, time.fromisoformat(slot.starts), ZoneInfo(office.timezone))


def _bookable_soon(session: Session, office_code: str) -> list[AppointmentSlot]:
    """The slots of an office with a free place, from now to MOVE_DAYS ahead."""
    today, now = _today(get_office(session, office_code)), clock.now()
    return [s for s in appointments.list_slots(session, office_code, today,
                                               today + timedelta(days=MOVE_DAYS))
            if s.booked < s.capacity and _begins(session, s) > now]


def _slot_id(field: str = "slot_id") -> int | None:
    raw = request.form.get(field, "")
    return int(raw) if raw.isdigit() else None


@bp.get("/appointments")
@guard.group_required(*APPLICANT_GROUPS)
def appointment_page() -> tuple[str, int]:
    """Pick an office and a day, see its slots and free places; my bookings below."""
    me = guard.actor()
    status = 200
    with transaction() as session:
        offices = _office_choices(session)
        code = request.args.get("office") or (offices[0][0] if offices else "")
        office = get_office(session, code) if code else None
        day = _today(office)
        raw_day = request.args.get("day", "")
        if raw_day:
            try:
                day = date.fromisoformat(raw_day)
            except ValueError:
                flash(_("The day must be a date like 2026-12-01."), "error")
                status = 400
        slots = appointments.list_slots(session, code, day, day) if office else []
        mine = appointments.visible(session, me)
        now = clock.now()
        upcoming = {b.slot.office_code for b in mine if b.status == "booked"}
        later = {c: _bookable_soon(session, c) for c in upcoming}
        page = render_template(
            "portal/appointments.html", offices=offices, office=code, day=day, slots=slots,
            bookings=mine, later=later, names=dict(offices),
            open_slot={s.id for s in slots if _begins(session, s) > now})
    return page, status


def _back(office: str | None = None, day: str | None = None) -> Response:
    """Back to the appointments page, on the office and day the form came from."""
    return redirect(url_for("portal_service.appointment_page", office=office or None,
                            day=day or None))


@bp.post("/appointments")
@guard.group_required(*APPLICANT_GROUPS)
def book() -> Response:
    """Book a place in a slot."""
    office, day = request.form.get("office"), request.form.get("day")
    slot_id = _slot_id()
    if slot_id is None:
        flash(_("Choose a slot."), "error")
        return _back(office, day)
    purpose = request.form.get("purpose", "").strip()[:500]
    phone = request.form.get("phone", "").strip()[:30] or None
    try:
        with transaction() as session:
            booking = appointments.book(session, guard.actor(), slot_id, purpose=purpose,
                                        phone=phone)
            when = f"{booking.slot.day.isoformat()} {booking.slot.starts}"
    except OnethingError as err:
        flash(_explain(err), "error")
        return _back(office, day)
    flash(_("Booked: %(when)s. We sent you a confirmation.", when=when), "success")
    return _back(office, day)


@bp.post("/appointments/<int:appointment_id>/move")
@guard.group_required(*APPLICANT_GROUPS)
def move(appointment_id: int) -> Response:
    """Move one of my bookings to another slot of the same office."""
    slot_id = _slot_id()
    if slot_id is None:
        flash(_("Choose a slot."), "error")
        return _back()
    try:
        with transaction() as session:
            booking = appointments.move(session, guard.actor(), appointment_id, slot_id)
            when = f"{booking.slot.day.isoformat()} {booking.slot.starts}"
    except OnethingError as err:
        flash(_explain(err), "error")
        return _back()
    flash(_("Moved to %(when)s.", when=when), "success")
    return _back()


@bp.post("/appointments/<int:appointment_id>/cancel")
@guard.group_required(*APPLICANT_GROUPS)
def cancel(appointment_id: int) -> Response:
    """Cancel one of my bookings."""
    reason = request.form.get("reason", "").strip()[:500]
    try:
        with transaction() as session:
            appointments.cancel(session, guard.actor(), appointment_id, reason)
    except OnethingError as err:
        flash(_explain(err), "error")
        return _back()
    flash(_("The booking is cancelled."), "success")
    return _back()


def _visit_page(form: dict[str, str], errors: dict[str, str], status: int) -> tuple[str, int]:
    with transaction() as session:
        offices = _office_choices(session)
        page = render_template("portal/visits.html", offices=offices, names=dict(offices),
                               visits=visits.visible(session, guard.actor()), form=form,
                               errors=errors, reasons=visits.REASONS)
    return page, status


@bp.get("/visits")
@guard.group_required(*APPLICANT_GROUPS)
def visit_page() -> tuple[str, int]:
    """Ask for a door-to-door visit; my requests with their status and outcome."""
    return _visit_page({}, {}, 200)


def _window(office: Office, raw: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment.replace(tzinfo=ZoneInfo(office.timezone)) if moment.tzinfo is None else moment


@bp.post("/visits")
@guard.group_required(*APPLICANT_GROUPS)
def request_visit() -> Response | tuple[str, int]:
    """Send a visit request; refused fields come back marked."""
    form = {k: request.form.get(k, "").strip() for k in (
        "office", "address", "phone", "reason_kind", "reason", "window_from", "window_until")}
    errors: dict[str, str] = {}
    try:
        with transaction() as session:
            office = get_office(session, form["office"]) if form["office"] else None
            if office is None:
                errors["office"] = _("Choose an office.")
                raise InvalidInput("no office")
            begin, end = _window(office, form["window_from"]), _window(office, form["window_until"])
            for name, value in (("window_from", begin), ("window_until", end)):
                if value is None:
                    errors[name] = _("Enter a date and time.")
            if begin is None or end is None:
                raise InvalidInput("bad window")
            visits.request(session, guard.actor(), office.code, form["address"],
                           form["reason_kind"], form["reason"], begin, end,
                           phone=form["phone"][:30] or None)
    except InvalidInput as err:
        errors.update({f.path: _field_message(f.path) for f in err.fields})
        errors["(form)"] = _("Please correct the fields marked below.")
        return _visit_page(form, errors, 422)
    except NotFound:
        errors["office"] = _("Choose an office.")
        return _visit_page(form, errors, 422)
    flash(_("Your request is sent. The office will tell you which clerk comes."), "success")
    return redirect(url_for("portal_service.visit_page"))


def _field_message(path: str) -> str:
    """What a refused field of the visit form needs, in the page's language."""
    return {"window_from": _("The visit must start in the future."),
            "window_until": _("The window must end after it starts, within 12 hours."),
            "reason_kind": _("Choose why you ask for a visit."),
            "reason": _("Say in a few words why (the park enterprise, or why you cannot "
                        "travel)."),
            "address": _("Enter the full address.")}.get(path, _("Check this field."))


@bp.post("/visits/<int:visit_id>/cancel")
@guard.group_required(*APPLICANT_GROUPS)
def cancel_visit(visit_id: int) -> Response:
    """Call off one of my visit requests."""
    try:
        with transaction() as session:
            visits.cancel(session, guard.actor(), visit_id,
                          request.form.get("reason", "").strip()[:500])
    except OnethingError as err:
        flash(_explain(err), "error")
        return redirect(url_for("portal_service.visit_page"))
    flash(_("The visit is called off."), "success")
    return redirect(url_for("portal_service.visit_page"))


@bp.app_template_global("case_commitment")
def case_commitment(case: Case) -> Commitment | None:
    """The commitment of CASE for its tracking page (None before acceptance)."""
    with transaction() as session:
        shown = case_clock(session, case.id)
    if shown is None:
        return None
    return Commitment(
        due=datetime.fromisoformat(shown["due"]), used=int(shown["used"]),
        committed=int(shown["committed"]), unit=str(shown["unit"]),
        paused=bool(shown["paused"]), level=str(shown["level"]),
        confirmed=bool(shown["confirmed"]), extended=bool(shown["extended"]),
        finished=datetime.fromisoformat(shown["finished"]) if shown["finished"] else None,
        on_time=shown["on_time"])
