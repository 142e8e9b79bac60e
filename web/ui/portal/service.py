"""The applicant's service pages in the portal: appointments (预约, with after-hours slots
延时服务), door-to-door visits (上门服务), and the commitment clock on the case page.

The engine (engine.service.appointments, engine.service.visits,
engine.timelimits.clocks) decides everything; these views read each form through the model
of the API route that makes the same call, call the engine and put its refusals in the
applicant's words.
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
from web.api.declare import B as M
from web.api.declare import read_form
from web.api.service.appointments import AppointmentFilter, Book, CancelService, MoveAppointment
from web.api.service.visits import AskVisit
from web.context import transaction
from web.ui import engine_text, guard
from web.ui.guard import APPLICANT_GROUPS
from web.ui.i18n import _, lang

bp = Blueprint("portal_service", __name__, url_prefix="/portal")

# how far ahead a booking may be moved: the slots of the next days are offered
MOVE_DAYS = 14
# the fields of the visit form, shown again as typed when it is refused
VISIT_FIELDS = ("office", "address", "phone", "reason_kind", "reason", "window_from",
                "window_until")


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
        return _("This can no longer be changed (%(detail)s).", detail=engine_text.say(err))
    return _("The request could not be handled: %(detail)s", detail=engine_text.say(err))


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


@bp.get("/appointments")
@guard.group_required(*APPLICANT_GROUPS)
def appointment_page() -> tuple[str, int]:
    """Pick an office and a day, see its slots and free places; my bookings below."""
    me = guard.actor()
    status = 200
    try:
        # the page's filter is the office listing's: an office and a day
        asked = read_form(AppointmentFilter, request.args)
    except InvalidInput:
        flash(_("The day must be a date like 2026-12-01."), "error")
        asked = AppointmentFilter(office=request.args.get("office") or None, day=None)
        status = 400
    with transaction() as session:
        offices = _office_choices(session)
        code = asked.office or (offices[0][0] if offices else "")
        office = get_office(session, code) if code else None
        day = asked.day or _today(office)
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


def _posted(model: type[M]) -> M | None:
    """The posted form read through the API's MODEL, or None with the reason flashed."""
    try:
        return read_form(model, request.form)
    except InvalidInput as err:
        wrong = {f.path for f in err.fields}
        flash(_("Choose a slot.") if "slot_id" in wrong else _explain(err), "error")
        return None


def _back(office: str | None = None, day: str | None = None) -> Response:
    """Back to the appointments page, on the office and day the form came from."""
    return redirect(url_for("portal_service.appointment_page", office=office or None,
                            day=day or None))


@bp.post("/appointments")
@guard.group_required(*APPLICANT_GROUPS)
def book() -> Response:
    """Book a place in a slot."""
    office, day = request.form.get("office"), request.form.get("day")
    asked = _posted(Book)
    if asked is None:
        return _back(office, day)
    try:
        with transaction() as session:
            booking = appointments.book(session, guard.actor(), asked.slot_id,
                                        purpose=asked.purpose, phone=asked.phone)
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
    asked = _posted(MoveAppointment)
    if asked is None:
        return _back()
    try:
        with transaction() as session:
            booking = appointments.move(session, guard.actor(), appointment_id, asked.slot_id)
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
    asked = _posted(CancelService)
    if asked is None:
        return _back()
    try:
        with transaction() as session:
            appointments.cancel(session, guard.actor(), appointment_id, asked.reason)
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


def _local(moment: datetime, office: Office) -> datetime:
    """MOMENT as typed in the form (no offset) is the office's local time."""
    return moment.replace(tzinfo=ZoneInfo(office.timezone)) if moment.tzinfo is None else moment


@bp.post("/visits")
@guard.group_required(*APPLICANT_GROUPS)
def request_visit() -> Response | tuple[str, int]:
    """Send a visit request; refused fields come back marked."""
    form = {k: request.form.get(k, "").strip() for k in VISIT_FIELDS}
    try:
        asked = read_form(AskVisit, form)
    except InvalidInput as err:
        return _visit_page(form, _marked(err, unreadable=True), 422)
    try:
        with transaction() as session:
            office = get_office(session, asked.office)
            visits.request(session, guard.actor(), office.code, asked.address,
                           asked.reason_kind, asked.reason, _local(asked.window_from, office),
                           _local(asked.window_until, office), phone=asked.phone)
    except InvalidInput as err:
        return _visit_page(form, _marked(err), 422)
    except NotFound:
        return _visit_page(form, {"office": _("Choose an office.")}, 422)
    flash(_("Your request is sent. The office will tell you which clerk comes."), "success")
    return redirect(url_for("portal_service.visit_page"))


def _marked(err: InvalidInput, *, unreadable: bool = False) -> dict[str, str]:
    """The visit form's refused fields with what each needs, and the form's own notice."""
    errors = {f.path: _field_message(f.path, unreadable=unreadable) for f in err.fields}
    return {**errors, "(form)": _("Please correct the fields marked below.")}


def _field_message(path: str, *, unreadable: bool = False) -> str:
    """What a refused field of the visit form needs, in the page's language; UNREADABLE
    when the form could not be read at all (rather than refused by the office's rules)."""
    if unreadable and path in ("window_from", "window_until"):
        return _("Enter a date and time.")
    return {"office": _("Choose an office."),
            "window_from": _("The visit must start in the future."),
            "window_until": _("The window must end after it starts, within 12 hours."),
            "reason_kind": _("Choose why you ask for a visit."),
            "reason": _("Say in a few words why (the park enterprise, or why you cannot "
                        "travel)."),
            "address": _("Enter the full address.")}.get(path, _("Check this field."))


@bp.post("/visits/<int:visit_id>/cancel")
@guard.group_required(*APPLICANT_GROUPS)
def cancel_visit(visit_id: int) -> Response:
    """Call off one of my visit requests."""
    asked = _posted(CancelService)
    if asked is None:
        return redirect(url_for("portal_service.visit_page"))
    try:
        with transaction() as session:
            visits.cancel(session, guard.actor(), visit_id, asked.reason)
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
