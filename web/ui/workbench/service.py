"""The staff side of time and service on the workbench: appointment slots (预约),
door-to-door visits (上门服务) and the mobile window (移动窗口), with the helpers the
supervision pages (workbench_supervision) share.

Every page reads its form through the model of the API route that makes the same engine
call, and writes through the engine modules that route uses; a refused form comes back to
its page with the reason and a 4xx status.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engine.core import clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, InvalidInput, OnethingError
from engine.design import application_form
from engine.org.offices.members import OFFICE_PREFIX
from engine.service import appointments, mobile_window, visits
from engine.service.desk import bundle_keys, clerk_offices, latest_guide
from web.api.declare import B as M
from web.api.declare import read_form
from web.api.service.appointments import AppointmentFilter, OpenSlot
from web.api.service.visits import AssignVisit, NewMobileIntake, VisitOutcome
from web.context import engine, transaction
from web.ui import engine_text, forms
from web.ui.guard import actor, group_required
from web.ui.i18n import lang
from web.ui.workbench.blueprint import bp

SUPERVISORS = ("leader", "supervisor")
LOCAL = ZoneInfo("Asia/Shanghai")
clerks_only = group_required("window_clerk")
Page = Callable[[], str]


def refusal_text(err: OnethingError) -> str:
    """The reason of a refusal with the fields it names."""
    fields = getattr(err, "fields", [])
    return "; ".join([engine_text.say(err), *(f"{f.path}: {forms.field_message(f)}"
                                               for f in fields)])


def refused(err: OnethingError, page: Page) -> tuple[str, int]:
    """Show PAGE again with the reason the form was refused and the error's status."""
    flash(refusal_text(err), "error")
    return page(), err.status


def my_offices(who: Actor) -> list[str]:
    """The codes of the offices WHO is posted at."""
    return sorted(g.removeprefix(OFFICE_PREFIX) for g in who.groups
                  if g.startswith(OFFICE_PREFIX))


def office_arg(who: Actor) -> str:
    """The office a page is about: ?office= or the person's first office."""
    chosen = request.values.get("office", "").strip()
    if chosen:
        return chosen
    mine = my_offices(who)
    if not mine:
        raise InvalidInput(_("You are not posted at any office."),
                           [FieldError("office", "required")])
    return mine[0]


# the day fields of the service forms: refused in the page's language when they do not read
DAY_FIELDS = frozenset({"day", "market_day"})


def _read(model: type[M], values: Mapping[str, Any]) -> M:
    """VALUES read through the API route's MODEL, a day that does not read said plainly."""
    try:
        return read_form(model, values)
    except InvalidInput as err:
        if DAY_FIELDS & {f.path for f in err.fields}:
            raise InvalidInput(_("Enter a date as YYYY-MM-DD."), err.fields) from None
        raise


# read_moment and read_number serve the supervision pages until they read their forms
# through their routes' models, as these pages do
def read_moment(name: str, value: str | None) -> datetime:
    """A datetime-local field read in the county's time zone."""
    try:
        found = datetime.fromisoformat(value or "")
    except ValueError:
        raise InvalidInput(_("Enter a date and time."),
                           [FieldError(name, "not a date and time")]) from None
    return found if found.tzinfo else found.replace(tzinfo=LOCAL)


def read_number(name: str, value: str | None) -> float:
    try:
        return float(value or "")
    except ValueError:
        raise InvalidInput(_("Enter a number."), [FieldError(name, "not a number")]) from None


def local_today() -> date:
    return clock.now().astimezone(LOCAL).date()


# --- appointment slots (预约) ---------------------------------------------------------

def _slots_page() -> str:
    who = actor()
    office = office_arg(who)
    # the page's filter is the office listing's: an office and a day
    asked = _read(AppointmentFilter, {"office": office,
                                                  "day": request.values.get("day")})
    day = asked.day or local_today()
    with transaction() as session:
        slots = appointments.list_slots(session, office, day, day)
        bookings = appointments.visible(session, who, office, day)
        rows = [{**appointments.slot_dict(s),
                 "bookings": [appointments.as_dict(b) for b in bookings if b.slot_id == s.id]}
                for s in slots]
    return render_template("workbench/slots.html", office=office, offices=my_offices(who),
                           day=day.isoformat(), slots=rows)


@bp.get("/slots")
@clerks_only
def slots_page() -> str:
    """One day's slots of my office with the bookings of each."""
    return _slots_page()


@bp.post("/slots")
@clerks_only
def slot_open() -> Response | tuple[str, int]:
    """Open a slot: day, start, end, capacity, and a duty clerk when after hours."""
    try:
        asked = _read(OpenSlot, {**request.form, "office": office_arg(actor())})
        with transaction() as session:
            appointments.create_slot(session, actor(), asked.office, asked.day, asked.starts,
                                     asked.ends, asked.capacity, asked.duty_clerk)
    except (InvalidInput, Conflict) as err:
        return refused(err, _slots_page)
    flash(_("The slot is open for booking."), "success")
    return redirect(url_for("workbench.slots_page", office=asked.office,
                            day=asked.day.isoformat()), 303)


# --- door-to-door visits (上门服务) ---------------------------------------------------

def _visits_page() -> str:
    who = actor()
    office = office_arg(who)
    with transaction() as session:
        rows = [visits.as_dict(v) for v in visits.visible(session, who, office)]
    return render_template("workbench/visits.html", office=office, offices=my_offices(who),
                           visits=rows)


@bp.get("/visits")
@clerks_only
def visits_page() -> str:
    """The visits of my office: assign a clerk, record the outcome."""
    return _visits_page()


@bp.post("/visits/<int:visit_id>/assign")
@clerks_only
def visit_assign(visit_id: int) -> Response | tuple[str, int]:
    """Send a clerk of the office on the visit."""
    try:
        asked = _read(AssignVisit, request.form)
        with transaction() as session:
            visit = visits.assign(session, actor(), visit_id, asked.clerk)
            office = visit.office_code
    except (InvalidInput, Conflict) as err:
        return refused(err, _visits_page)
    flash(_("The clerk was assigned."), "success")
    return redirect(url_for("workbench.visits_page", office=office), 303)


@bp.post("/visits/<int:visit_id>/outcome")
@clerks_only
def visit_outcome(visit_id: int) -> Response | tuple[str, int]:
    """Record what the visit achieved."""
    try:
        # an unticked check box sends nothing, which the model reads as false
        asked = _read(VisitOutcome, request.form)
        with transaction() as session:
            visit = visits.record_outcome(
                session, actor(), visit_id, materials_collected=asked.materials_collected,
                onsite_check_done=asked.onsite_check_done, notes=asked.notes)
            office = visit.office_code
    except (InvalidInput, Conflict) as err:
        return refused(err, _visits_page)
    flash(_("The outcome of the visit was recorded."), "success")
    return redirect(url_for("workbench.visits_page", office=office), 303)


# --- mobile window (移动窗口) ---------------------------------------------------------

def _mobile_page(answers: dict[str, Any] | None = None,
                 errors: dict[str, str] | None = None) -> str:
    who = actor()
    bundle = request.values.get("bundle") or None
    with transaction() as session:
        offices = [o.code for o in clerk_offices(session, who)]
        bundles = bundle_keys(session)
        office = request.values.get("office") or (offices[0] if offices else "")
        taken = ([mobile_window.as_dict(i, n)
                  for i, n in mobile_window.intakes(session, who, office)] if office else [])
        guide = latest_guide(engine(), session, bundle) if bundle in bundles else None
    schema = application_form.answers_schema(guide, lang()) if guide else None
    fields = forms.build_fields(schema, answers or {}, errors or {}, lang()) if schema else []
    return render_template("workbench/mobile.html", offices=offices, office=office,
                           bundles=bundles, bundle=bundle if guide else None, fields=fields,
                           errors=errors or {}, intakes=taken,
                           today=local_today().isoformat(), form=request.form)


@bp.get("/mobile")
@clerks_only
def mobile_page() -> str:
    """The mobile-window intake form and the office's recent intakes."""
    return _mobile_page()


@bp.post("/mobile")
@clerks_only
def mobile_intake() -> Response | tuple[str, int]:
    """Record a market-day intake with the bundle's situational answers; start its case."""
    form = request.form
    bundle = form.get("bundle", "")
    with transaction() as session:
        guide = latest_guide(engine(), session, bundle)
    schema = application_form.answers_schema(guide, lang()) if guide else None
    answers, problems = forms.read_form(schema, form)
    errors = forms.check(schema, answers, problems) if schema else {}
    if errors:
        return _mobile_page(answers, errors), 422
    try:
        applicant = form.get("applicant", "").strip()
        if not applicant:
            raise InvalidInput(_("Name the applicant."), [FieldError("applicant", "required")])
        # the page's fields become the route's: its bundle the process, the answers the data
        asked = _read(NewMobileIntake, {
            "office": office_arg(actor()), "town": form.get("town"), "place": form.get("place"),
            "market_day": form.get("market_day"), "process": bundle,
            "data": {"applicant": applicant, "answers": answers}})
        with transaction() as session:
            _intake, case = mobile_window.record_intake(
                engine(), session, actor(), asked.office, asked.town, asked.place,
                asked.market_day, asked.process, asked.data or {})
            number = case.number
    except (InvalidInput, Conflict) as err:
        flash(refusal_text(err), "error")
        errors = forms.errors_from(err) if isinstance(err, InvalidInput) else {}
        return _mobile_page(answers, errors), err.status
    flash(_("Case %(number)s started at the mobile window.", number=number), "success")
    return redirect(url_for("workbench.mobile_page", office=asked.office), 303)
