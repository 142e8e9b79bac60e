"""My cases: the list, tracking one case, answering my own steps, results, the rating."""

from __future__ import annotations

import math
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from engine.casework import cases as case_api
from engine.casework import completion, drafts, permissions, withdrawal, work_items
from engine.core.actors import Actor
from engine.core.errors import InvalidInput, NotFound
from engine.design import guides
from engine.models import ApplicationDraft, Candidate, Case, Rating, WorkItem
from engine.service import ratings
from engine.service.notifications import outbox
from web import refs
from web.api.casework.case_diagram import check_may_see
from web.context import engine, transaction
from web.ui import forms, guard
from web.ui.guard import APPLICANT_GROUPS
from web.ui.i18n import _, lang
from web.ui.portal import diagram_names
from web.ui.portal import missing as portal_missing
from web.ui.portal import progress as portal_progress
from web.ui.portal import track as portal_track
from web.ui.portal.blueprint import bp
from web.ui.portal.guides import guide_of

PAGE_SIZE = 20


def _my_cases(actor: Actor) -> Any:
    """A filter on cases: those ACTOR may see (its own, its principals', its work)."""
    visible = permissions.visible_cases(actor)
    return visible if visible is not None else Case.id.is_not(None)


@bp.get("/cases")
@guard.group_required(*APPLICANT_GROUPS)
def cases() -> str:
    """My drafts and my cases, newest first, a page at a time."""
    me = guard.actor()
    page = max(1, request.args.get("page", 1, type=int))
    with transaction() as session:
        condition = _my_cases(me)
        total = session.scalar(select(func.count(Case.id)).where(condition)) or 0
        rows = list(session.scalars(select(Case).where(condition).order_by(Case.id.desc())
                                    .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
        mine = drafts.list_drafts(session, me)
        titles = {g.key: g.guide.title.get(lang()) for g in _guides(session, rows, mine)}
    pages = max(1, math.ceil(total / PAGE_SIZE))
    return render_template("portal/cases.html", cases=rows, drafts=mine, titles=titles,
                           page=page, pages=pages, total=total)


def _guides(session: Session, rows: list[Case], mine: list[ApplicationDraft]) -> list[Any]:
    keys = sorted({c.bundle_key for c in rows} | {d.bundle_key for d in mine})
    found = []
    for key in keys:
        try:
            found.append(guide_of(session, key))
        except NotFound:
            continue
    return found


def _load(session: Session, ref: str) -> Case:
    case = case_api.get_case(session, refs.case_ref(ref))
    check_may_see(session, case, guard.actor())
    return case


def _page(ref: str, task_data: dict[str, Any] | None = None, task_id: str | None = None,
          errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    """Render the tracking page; a refused step keeps its data and per-field errors."""
    me = guard.actor()
    rt = engine()
    with transaction() as session:
        case = _load(session, ref)
        try:
            found = guide_of(session, case.bundle_key)
            guide: guides.Guide | None = found.guide
        except NotFound:
            guide = None
        offices = portal_track.office_names(session)
        titles = portal_track.titles_of(session, case)
        waiting, mine = portal_track.open_and_mine(session, case, me, offices, guide)
        my_tasks = [portal_track.task_form(rt, session, case, item,
                                           task_data if item.id == task_id else None,
                                           errors if item.id == task_id else None)
                    for item in mine]
        context = {
            "case": case, "guide": guide, "office": offices.get(case.office_code or "", ""),
            "channel": _channel_name(guide, case.channel),
            "timeline": portal_track.timeline(session, case, me, titles, offices),
            "waiting": waiting, "my_tasks": my_tasks,
            "progress": portal_progress.build(rt, session, case, me, guide),
            "diagram_names": diagram_names.names_for(session, case),
            "results": portal_track.results(session, case, guide),
            "checklist": portal_track.checklist(session, case, me),
            "missing": portal_missing.of_case(session, case, guide, lang()),
            "material_names": {m.id: m.name.get(lang()) for m in guide.materials}
            if guide else {},
            "rating": session.scalar(select(Rating).where(Rating.case_id == case.id)),
            "can_withdraw": case.status == "running" and case.applicant is not None
            and withdrawal.may_withdraw(session, case),
            "levels": [(code, en if lang() == "en" else zh) for code, zh, en in ratings.LEVELS],
        }
    return render_template("portal/case.html", **context), status


def _channel_name(guide: guides.Guide | None, channel: str | None) -> str:
    if guide is not None:
        for c in guide.channels:
            if c.id == channel:
                return c.name.get(lang())
    return channel or ""


@bp.get("/cases/<ref>")
@guard.group_required(*APPLICANT_GROUPS)
def case(ref: str) -> tuple[str, int]:
    """Track one case: its progress, my steps, materials, results, timeline and diagram."""
    return _page(ref)


@bp.post("/cases/<ref>/tasks/<item_id>")
@guard.group_required(*APPLICANT_GROUPS)
def answer(ref: str, item_id: str) -> Response | tuple[str, int]:
    """Complete one of my open steps (supplement, promised materials, delivery) with its form."""
    me = guard.actor()
    rt = engine()
    with transaction() as session:
        case_row = _load(session, ref)
        item = work_items.get(session, item_id)
        if item.case_id != case_row.id:
            raise NotFound(f"work item {item_id} not found")
        schema = portal_track.task_form(rt, session, case_row, item).schema
        number, principal = case_row.number, case_row.applicant
    data, problems = forms.read_form(schema, request.form)
    errors = forms.check(schema, data, problems)
    if errors:
        return _page(ref, data, item_id, errors, 422)
    on_behalf_of = None
    with transaction() as session:
        item = work_items.get(session, item_id)
        if not portal_track.may_complete(item, me):
            # an agent answers its principal's step under its authorisation
            on_behalf_of = principal
    try:
        with transaction() as session:
            completion.complete(rt, session, item_id, data, me, on_behalf_of=on_behalf_of)
    except InvalidInput as exc:
        return _page(ref, data, item_id, forms.errors_from(exc), 422)
    flash(_("Thank you. Your answer was sent."), "success")
    return redirect(url_for("portal.case", ref=number))


@bp.post("/cases/<ref>/withdraw")
@guard.group_required(*APPLICANT_GROUPS)
def withdraw(ref: str) -> Response | tuple[str, int]:
    """Withdraw the application (撤回) before it is decided, with a reason."""
    reason = request.form.get("reason", "")
    try:
        with transaction() as session:
            case_row = withdrawal.withdraw(engine(), session, refs.case_ref(ref),
                                           guard.actor(), reason)
            number = case_row.number
    except InvalidInput:
        flash(_("Say why you withdraw the application."), "error")
        return redirect(url_for("portal.case", ref=ref) + "#withdraw")
    flash(_("Your application was withdrawn."), "success")
    return redirect(url_for("portal.case", ref=number))


@bp.get("/cases/<ref>/result")
@guard.group_required(*APPLICANT_GROUPS)
def result(ref: str) -> str:
    """The printable result of each item of the case."""
    with transaction() as session:
        case_row = _load(session, ref)
        try:
            guide: guides.Guide | None = guide_of(session, case_row.bundle_key).guide
        except NotFound:
            guide = None
        found = portal_track.results(session, case_row, guide)
    return render_template("portal/result.html", case=case_row, guide=guide, results=found)


@bp.post("/cases/<ref>/rating")
@guard.group_required(*APPLICANT_GROUPS)
def rate(ref: str) -> Response | tuple[str, int]:
    """Rate the service of an ended case (once)."""
    level = request.form.get("level", "")
    comment = request.form.get("comment", "").strip() or None
    if level not in {code for code, _zh, _en in ratings.LEVELS}:
        flash(_("Choose one of the five levels."), "error")
        return redirect(url_for("portal.case", ref=ref) + "#rating")
    with transaction() as session:
        case_row = _load(session, ref)
        ratings.rate_case(session, case_row.id, guard.actor(), level, comment)
        number = case_row.number
    flash(_("Thank you for rating our service."), "success")
    return redirect(url_for("portal.case", ref=number))


def _steps_for(session: Session, me: Actor) -> list[WorkItem]:
    """Open steps named for ME (a supplement, a delivery choice ...), soonest due first."""
    named = select(Candidate.work_item_id).where(Candidate.kind == "user",
                                                 Candidate.name == me.username)
    return list(session.scalars(
        select(WorkItem).where(WorkItem.state == "open",
                               or_(WorkItem.assignee == me.username, WorkItem.id.in_(named)))
        .order_by(WorkItem.due_at.is_(None), WorkItem.due_at, WorkItem.id).limit(50)))


@bp.get("/notifications")
@guard.group_required(*APPLICANT_GROUPS)
def notifications() -> str:
    """My messages (accepted, supplement asked, decided ...) and the steps waiting for me."""
    me = guard.actor()
    with transaction() as session:
        rows, total, unread = outbox.inbox(session, me, limit=50)
        open_items = _steps_for(session, me)
        numbers = dict(session.execute(select(Case.id, Case.number).where(
            Case.id.in_({i.case_id for i in open_items} | {r.case_id for r in rows
                                                           if r.case_id}))).all())
    tasks = [(numbers.get(i.case_id, ""), forms.localize(i.title, lang()), i.due_at)
             for i in open_items]
    return render_template("portal/notifications.html", messages=rows, total=total,
                           unread=unread, tasks=tasks, numbers=numbers)
