"""The applicant's plain progress view: the steps of a case in the applicant's words, each
done, now or to come; for the steps now, who has the case and until when; for a step that
decides several items, one line per item with its department and state.

The steps come from the case's work items (what happened and what is open) and, for the
steps to come, from the usual road of its diagram; the words from a short table of the
steps every shipped bundle shares, else from the task's own title.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core.actors import Actor
from engine.core.errors import OnethingError
from engine.design import guides
from engine.design.task_text import without_markup
from engine.models import AuditEvent, Case, WorkItem
from engine.runtime.engine import Engine
from web.ui import forms as page_forms
from web.ui.i18n import _, lang
from web.ui.names import department_name, office_name
from web.ui.portal import track
from web.ui.portal.progress_path import usual_road

# the steps the shipped bundles share, in the applicant's words; any other step keeps the
# title its designer gave it
_WORDS: dict[str, Callable[[], str]] = {
    "agent_intake": lambda: _("An agent takes up the case"),
    "accept": lambda: _("Window acceptance"),
    "supplement": lambda: _("Supplement the materials"),
    "review": lambda: _("Department review"),
    "recheck": lambda: _("The window re-checks a returned item"),
    "correct": lambda: _("Correct a returned item"),
    "supply_promised": lambda: _("Hand in the promised materials"),
    "choose_delivery": lambda: _("Collect the result"),
}
_SHOWN_KINDS = ("user", "manual")


@dataclass
class ItemLine:
    """One item a step decides: its name, its department, where it stands."""

    code: str
    name: str
    department: str
    state: str  # reviewing | approved | refused | returned | stopped
    label: str


@dataclass
class Step:
    """One step of the case as the applicant reads it."""

    key: str
    label: str
    state: str  # done | now | next | stopped
    who: str = ""
    where: str = ""
    due_at: datetime | None = None
    mine: bool = False
    anchor: str = ""
    items: list[ItemLine] = field(default_factory=list)


@dataclass
class Progress:
    """The whole view: the steps, and a sentence on where the case stands now."""

    steps: list[Step]
    now: list[Step]
    ended: str = ""


def label_of(element_id: str, title: str | None) -> str:
    """A step's name in the applicant's words (its localised title when none is known)."""
    words = _WORDS.get(element_id)
    return words() if words else page_forms.localize(without_markup(title or element_id), lang())


def build(rt: Engine, session: Session, case: Case, me: Actor,
          guide: guides.Guide | None) -> Progress:
    """The progress view of CASE for ME."""
    rows = [w for w in session.scalars(
        select(WorkItem).where(WorkItem.case_id == case.id)
        .order_by(WorkItem.created_at, WorkItem.id)) if w.kind in _SHOWN_KINDS]
    decisions = _decisions(session, case)
    offices = track.office_names(session)
    runs = _runs(rows)
    steps = [Step("submitted", _("Application submitted"), "done")]
    for element_id, items in runs:
        steps.append(_step(element_id, items, decisions, guide, me, offices,
                           offices.get(case.office_code or "", "")))
    if case.status == "running":
        steps += [Step(e, label_of(e, _title(rt, session, case, e)), "next")
                  for e in _to_come(rt, session, case, [e for e, _i in runs])]
    ended = _ended(case.status)
    if ended:
        steps.append(Step("ended", ended, "done" if case.status == "completed" else "stopped"))
    return Progress(steps, [s for s in steps if s.state == "now"], ended)


def _runs(rows: list[WorkItem]) -> list[tuple[str, list[WorkItem]]]:
    """Work items cut into steps: a new step when the work moves to another task; the items
    of a task that decides several items stay one step, an item reviewed again included."""
    runs: list[tuple[str, list[WorkItem]]] = []
    for item in rows:
        if runs and runs[-1][0] == item.element_id:
            runs[-1][1].append(item)
            continue
        multi = next((r for r in runs if r[0] == item.element_id and _item_code(item)), None)
        if multi is not None:
            multi[1].append(item)
        else:
            runs.append((item.element_id, [item]))
    return runs


def _step(element_id: str, items: list[WorkItem], decisions: dict[str, dict[str, Any]],
          guide: guides.Guide | None, me: Actor, offices: dict[str, str], home: str) -> Step:
    open_items = [i for i in items if i.state == "open"]
    done = any(i.state == "completed" for i in items)
    state = "now" if open_items else "done" if done else "stopped"
    step = Step(element_id, label_of(element_id, items[0].title), state)
    if open_items:
        first = min(open_items, key=lambda i: (i.due_at is None, i.due_at or i.created_at))
        sep = ", " if lang() == "en" else "、"
        step.who = sep.join(dict.fromkeys(track.whom(i, offices, me, home) for i in open_items))
        step.where = sep.join(dict.fromkeys(p for i in open_items for p in _places(i, home)))
        step.due_at = first.due_at
        mine = [i for i in open_items if _is_mine(i, me)]
        step.mine = bool(mine)
        step.anchor = f"task-{mine[0].element_id}" if mine else ""
    step.items = _item_lines(items, decisions, guide)
    return step


def _item_lines(items: list[WorkItem], decisions: dict[str, dict[str, Any]],
                guide: guides.Guide | None) -> list[ItemLine]:
    latest: dict[str, WorkItem] = {}
    for item in items:
        code = _item_code(item)
        if code:
            latest[code] = item  # rows come oldest first: the last one is where it stands
    lines = []
    for code, item in latest.items():
        data = item.input_data or {}
        name, department = str(data.get("item_name") or code), ""
        if guide is not None:
            try:
                found = guide.item(code)
                name, department = found.name.get(lang()), found.department.get(lang())
            except KeyError:
                pass
        if not department:
            department = department_name(str(data.get("department") or "")) or office_name(
                str(data.get("item_office") or ""))
        state = _item_state(item, decisions.get(item.id, {}))
        lines.append(ItemLine(code, name, department, state, _ITEM_WORDS[state]()))
    return lines


def _item_state(item: WorkItem, data: dict[str, Any]) -> str:
    if item.state == "open":
        return "reviewing"
    if item.state != "completed":
        return "stopped"
    return {"approve": "approved", "refuse": "refused", "return": "returned"}.get(
        str(data.get("decision", "")), "reviewing")


_ITEM_WORDS: dict[str, Callable[[], str]] = {
    "reviewing": lambda: _("under review"),
    "approved": lambda: _("granted"),
    "refused": lambda: _("not granted"),
    "returned": lambda: _("returned for correction"),
    "stopped": lambda: _("stopped"),
}


def _item_code(item: WorkItem) -> str:
    return str((item.input_data or {}).get("item_code") or "")


def _decisions(session: Session, case: Case) -> dict[str, dict[str, Any]]:
    """Work item id to the data its completion recorded."""
    out: dict[str, dict[str, Any]] = {}
    for event in session.scalars(select(AuditEvent).where(
            AuditEvent.case_id == case.id, AuditEvent.action == "task.completed")):
        data = (event.detail or {}).get("data")
        if event.task_id and isinstance(data, dict):
            out[event.task_id] = data
    return out


def _places(item: WorkItem, home: str) -> list[str]:
    places = [g.partition("@")[2] for g in item.candidate_names("group")]
    return [office_name(p) if p else home for p in places if p or home]


def _is_mine(item: WorkItem, me: Actor) -> bool:
    users = item.candidate_names("user")
    return (item.assignee == me.username or me.username in users
            or bool(track.AGENTS & me.groups and users))


def _to_come(rt: Engine, session: Session, case: Case, happened: list[str]) -> list[str]:
    """The usual road's steps after the last one the case has reached."""
    try:
        road = usual_road(rt.specs.get(session, case.deployment_id).specs, case.process_id)
    except OnethingError:  # a version that no longer compiles shows no steps to come
        return []
    reached = [road.index(e) for e in happened if e in road]
    after = max(reached) + 1 if reached else 0
    return [e for e in road[after:] if e not in happened]


def _title(rt: Engine, session: Session, case: Case, element_id: str) -> str | None:
    elements = rt.specs.get(session, case.deployment_id).elements
    for meta in elements.values():
        if meta.id == element_id:
            return meta.name
    return None


def _ended(status: str) -> str:
    return {"completed": _("Case completed"), "cancelled": _("The case was cancelled"),
            "withdrawn": _("You withdrew the application"),
            "error": _("The case stopped on an error; staff are looking into it"),
            }.get(status, "")
