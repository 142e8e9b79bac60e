"""What the tracking page of a case shows, read from rows: the timeline in plain words, what
the case waits on (whom, until when), the applicant's own open steps, and each item's result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework import forms, materials, work_items
from engine.core import audit
from engine.core.actors import Actor
from engine.core.errors import InvalidInput
from engine.design import guides
from engine.models import AuditEvent, Case, Office, WorkItem
from engine.runtime.engine import Engine
from web.ui import forms as page_forms
from web.ui.i18n import _, lang
from web.ui.names import role_name

REVIEW_ELEMENT = "review"
AGENTS = frozenset({"agent"})


@dataclass
class Step:
    """One line of the timeline."""

    at: datetime
    text: str
    who: str


@dataclass
class Waiting:
    """One open step of the case: what, whom, until when."""

    title: str
    whom: str
    due_at: datetime | None
    item: str = ""  # the catalogue item the step decides, when it decides one


@dataclass
class MyTask:
    """An open step the signed-in person answers here, with its form."""

    item: WorkItem
    title: str
    help: str
    schema: dict[str, Any] | None
    fields: list[page_forms.Field] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    """How one item of the bundle ended (or that it is still being decided)."""

    code: str
    name: str
    status: str
    certificate: str = ""
    reason: str = ""


def _who(label: str | None, me: Actor) -> str:
    if not label or label in ("engine", "system"):
        return _("the system")
    if label in (me.username, me.label):
        return _("you")
    return label


def office_names(session: Session) -> dict[str, str]:
    """Office code to name in the page's language."""
    return {o.code: ((o.name_en or o.name_zh) if lang() == "en" else o.name_zh)
            for o in session.scalars(select(Office))}


def whom(item: WorkItem, offices: dict[str, str], me: Actor, home: str = "") -> str:
    """Whom an open work item waits on, in plain words; a group named without an office
    works at HOME, the office that holds the case."""
    if item.assignee:
        return _who(item.assignee, me)
    users = item.candidate_names("user")
    if me.username in users or (me.on_behalf_of and me.on_behalf_of in users):
        return _("you")
    names = []
    for group in item.candidate_names("group"):
        role, _sep, place = group.partition("@")
        where = offices.get(place, place) if place else home
        names.append(f"{where} {role_name(role)}".strip())
    names += users
    return ", ".join(names) or _("anyone who handles this case")


def timeline(session: Session, case: Case, me: Actor, titles: dict[str, str],
             offices: dict[str, str]) -> list[Step]:
    """Every audited step of CASE in plain words, oldest first."""
    out = []
    for event in audit.trail(session, case.id):
        text = describe(event, titles, offices)
        if text:
            out.append(Step(event.at, text, _who(event.actor, me)))
    return out


def describe(event: AuditEvent, titles: dict[str, str], offices: dict[str, str]) -> str:
    """One audit event as a sentence ('' for events an applicant need not see)."""
    detail = event.detail or {}
    title = titles.get(event.task_id or "", event.element_id or "")
    if event.action == "case.started":
        return _("Application received")
    if event.action == "task.completed":
        raw = detail.get("data")
        data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        decision = {"approve": _("approved"), "refuse": _("refused"),
                    "return": _("returned")}.get(str(data.get("decision", "")))
        if decision:
            return _("%(step)s: %(decision)s", step=title, decision=decision)
        return _("%(step)s: done", step=title)
    if event.action == "task.claimed":
        return _("%(step)s: taken up", step=title)
    if event.action == "material.uploaded":
        return _("Material handed in: %(name)s", name=detail.get("filename", ""))
    if event.action in ("case.completed", "case.cancelled", "case.error"):
        return {"case.completed": _("The case is completed"),
                "case.cancelled": _("The case was cancelled"),
                "case.error": _("The case stopped on an error; staff are looking into it")
                }[event.action]
    if event.action.startswith(("cooperation.", "supervision.")):
        return _("Departments coordinate on the case")
    return ""


def open_and_mine(session: Session, case: Case, me: Actor, offices: dict[str, str],
                  guide: guides.Guide | None = None) -> tuple[list[Waiting], list[WorkItem]]:
    """The case's open steps, and those of them the signed-in person answers here."""
    waiting: list[Waiting] = []
    mine: list[WorkItem] = []
    rows = session.scalars(select(WorkItem).where(WorkItem.case_id == case.id,
                                                  WorkItem.state == "open")
                           .order_by(WorkItem.created_at, WorkItem.id))
    for item in rows:
        waiting.append(Waiting(page_forms.localize(item.title, lang()),
                               whom(item, offices, me, offices.get(case.office_code or "", "")),
                               item.due_at, item_name(item, guide)))
        users = item.candidate_names("user")
        if (item.assignee == me.username or me.username in users
                or (AGENTS & me.groups and bool(users))):
            # an agent sees its principal's steps; completing one checks its authorisation
            mine.append(item)
    return waiting, mine


def item_name(item: WorkItem, guide: guides.Guide | None) -> str:
    """The name of the catalogue item a work item decides ('' when it decides none)."""
    data = item.input_data or {}
    code = str(data.get("item_code") or "")
    if not code:
        return ""
    if guide is not None:
        try:
            return guide.item(code).name.get(lang())
        except KeyError:
            pass
    return str(data.get("item_name") or code)


def task_form(rt: Engine, session: Session, case: Case, item: WorkItem,
              data: dict[str, Any] | None = None,
              errors: dict[str, str] | None = None) -> MyTask:
    """The form of one of the applicant's own steps."""
    bundle = rt.specs.get(session, case.deployment_id)
    schema = forms.schema_for(bundle, item.form_schema)
    ui = bundle.forms.get(item.form_ui_schema) if item.form_ui_schema else None
    fields = page_forms.build_fields(schema, data or {}, errors or {}, lang(), ui)
    return MyTask(item, page_forms.localize(item.title, lang()),
                  page_forms.localize(item.documentation, lang()), schema, fields,
                  errors or {})


def results(session: Session, case: Case, guide: guides.Guide | None) -> list[Result]:
    """Each item's decision, from the department reviews and their completions."""
    reviews = list(session.scalars(select(WorkItem).where(
        WorkItem.case_id == case.id, WorkItem.element_id == REVIEW_ELEMENT)
        .order_by(WorkItem.created_at)))
    decided = {e.task_id: (e.detail or {}).get("data") or {} for e in session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id,
                                 AuditEvent.action == "task.completed",
                                 AuditEvent.element_id == REVIEW_ELEMENT))}
    by_code: dict[str, Result] = {}
    for review in reviews:
        code = str((review.input_data or {}).get("item_code") or "")
        if not code:
            continue
        name = str((review.input_data or {}).get("item_name") or code)
        if guide is not None:
            try:
                name = guide.item(code).name.get(lang())
            except KeyError:
                pass
        data = decided.get(review.id, {})
        status = {"approve": "approved", "refuse": "refused"}.get(
            str(data.get("decision", "")), "open" if review.state == "open" else "pending")
        by_code[code] = Result(code, name, status, str(data.get("certificate_no") or ""),
                               str(data.get("refuse_reason") or ""))
    return list(by_code.values())


def titles_of(session: Session, case: Case) -> dict[str, str]:
    """Work item id to its title in the page's language."""
    return {i: page_forms.localize(t, lang()) for i, t in session.execute(
        select(WorkItem.id, WorkItem.title).where(WorkItem.case_id == case.id))}


def checklist(session: Session, case: Case, me: Actor) -> materials.Checklist | None:
    """The materials handed in and still missing (None when the bundle lists none)."""
    try:
        return materials.list_materials(session, case, me)
    except InvalidInput:  # a bundle without a guide lists no materials
        return None


def may_complete(item: WorkItem, me: Actor) -> bool:
    """Whether ME may answer ITEM directly (else as an agent for its principal)."""
    return work_items.may_work_on(item, me)
