"""What earlier steps of a case said, for the person deciding the next one.

Each completed task of the case with who completed it, when, and what they entered
(the decision, a return reason, the materials asked for, a note), titled by the task's
own form; and each cooperation request with its question and answer. A reviewer reads
here why the window accepted with gaps, a window clerk why a department returned the
item, without opening the audit trail.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework import forms, permissions
from engine.casework.application_view import field_rows
from engine.core.actors import Actor
from engine.models import AuditEvent, Case, CooperationRequest, WorkItem
from engine.runtime.engine import Engine

# the newest steps shown; a long case pages through its audit trail instead
LIMIT = 30


def _step(rt: Engine, session: Session, case: Case, event: AuditEvent,
          items: dict[str, WorkItem]) -> dict[str, Any] | None:
    item = items.get(event.task_id or "")
    if item is None or item.kind != "user":
        return None
    data = (event.detail or {}).get("data")
    schema = forms.schema_for(rt.specs.get(session, case.deployment_id), item.form_schema)
    rows = field_rows(data, schema or {}, "") if isinstance(data, dict) else []
    return {"title": item.title, "element_id": item.element_id, "by": event.actor,
            "at": event.at, "fields": rows, "item_code": (item.input_data or {}).get("item_code")}


def steps(rt: Engine, session: Session, case: Case, actor: Actor,
          exclude_task: str | None = None) -> list[dict[str, Any]]:
    """The completed user tasks of CASE, newest first (at most LIMIT), for staff who may
    see the case: title, element, by, at, the fields entered (name, title, value)."""
    permissions.check_staff_visible(session, case, actor)
    events = list(session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id,
                                 AuditEvent.action == "task.completed")
        .order_by(AuditEvent.id.desc()).limit(LIMIT)))
    ids = {e.task_id for e in events if e.task_id and e.task_id != exclude_task}
    items = {i.id: i for i in session.scalars(select(WorkItem).where(WorkItem.id.in_(ids)))}
    out = []
    for event in events:
        step = _step(rt, session, case, event, items)
        if step is not None:
            out.append(step)
    return out


def cooperation(session: Session, case: Case, actor: Actor) -> list[dict[str, Any]]:
    """The cooperation requests of CASE with their answers, oldest first."""
    permissions.check_staff_visible(session, case, actor)
    rows = session.scalars(select(CooperationRequest).where(CooperationRequest.case_id == case.id)
                           .order_by(CooperationRequest.id))
    return [{"group": c.group_name, "question": c.question, "asked_by": c.requested_by,
             "asked_at": c.created_at, "state": c.state, "answer": c.answer,
             "answered_by": c.answered_by, "answered_at": c.answered_at}
            for c in rows]



def entered_fields(rt: Engine, session: Session,
                   events: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """For each completed-task event of EVENTS (audit rows), the fields entered, titled by
    the task's form (name, title, value), by event id; the audit page shows these instead
    of the raw data. Events of a task or case that is gone are left out."""
    wanted = {e["task_id"]: e for e in events
              if e.get("action") == "task.completed" and e.get("task_id")
              and isinstance((e.get("detail") or {}).get("data"), dict)}
    if not wanted:
        return {}
    items = {i.id: i for i in session.scalars(select(WorkItem).where(WorkItem.id.in_(wanted)))}
    cases = {c.id: c for c in session.scalars(select(Case).where(
        Case.id.in_({i.case_id for i in items.values()})))}
    out: dict[int, list[dict[str, Any]]] = {}
    for task_id, event in wanted.items():
        item = items.get(task_id)
        case = cases.get(item.case_id) if item is not None else None
        if item is None or case is None:
            continue
        schema = forms.schema_for(rt.specs.get(session, case.deployment_id), item.form_schema)
        out[event["id"]] = field_rows(event["detail"]["data"], schema or {}, "")
    return out
