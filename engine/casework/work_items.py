"""Work items: the inbox, claim, unclaim and complete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, object_session

from engine.casework import agency, task_access
from engine.core import audit
from engine.core.actors import Actor
from engine.core.errors import Conflict, Forbidden, NotFound, TaskNotReady
from engine.models import Case, WorkItem
from engine.runtime import work_keys


def get(session: Session, item_id: str) -> WorkItem:
    item = session.get(WorkItem, item_id)
    if item is None:
        raise NotFound.of("work item %(task)s not found", task=item_id)
    return item


def _session_of(item: WorkItem) -> Session:
    """The session ITEM was read in: the access rule reads its case's accepting office."""
    session = object_session(item)
    if session is None:
        raise RuntimeError(f"work item {item.id} is not attached to a session")
    return session


def may_work_on(item: WorkItem, actor: Actor, on_behalf_of: str | None = None) -> bool:
    """Whether ACTOR may complete ITEM, by the rule of engine.task_access."""
    return task_access.may_work_on(_session_of(item), item, actor, on_behalf_of)


def may_claim(item: WorkItem, actor: Actor, on_behalf_of: str | None = None) -> bool:
    """Whether ACTOR may take ITEM, by the rule of engine.task_access."""
    return task_access.may_claim(_session_of(item), item, actor, on_behalf_of)


def acting(session: Session, item: WorkItem, actor: Actor, on_behalf_of: str | None) -> Actor:
    """ACTOR itself, or ACTOR as agent of ON_BEHALF_OF when an authorisation covers ITEM."""
    if on_behalf_of is None:
        return actor
    return agency.acting_as(session, actor, on_behalf_of, agency.action_for(item.element_id),
                            session.get(Case, item.case_id))


def claim(session: Session, item_id: str, actor: Actor, *,
          on_behalf_of: str | None = None) -> WorkItem:
    """Take a task (for ON_BEHALF_OF when an agent holds it for its principal)."""
    item = get(session, item_id)
    if item.kind == "external":
        raise Conflict("external work is fetched and locked by workers, not claimed")
    who = acting(session, item, actor, on_behalf_of)
    if not may_claim(item, who, on_behalf_of):
        raise Forbidden.of("%(user)s is not a candidate for this task", user=who.label)
    holder = on_behalf_of or actor.username
    result = session.execute(
        update(WorkItem).where(WorkItem.id == item_id, WorkItem.state == "open",
                               or_(WorkItem.assignee.is_(None),
                                   WorkItem.assignee == holder))
        .values(assignee=holder).execution_options(synchronize_session=False))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        session.refresh(item)
        if item.state != "open":
            raise TaskNotReady.of("task is %(status)s", status=item.state)
        raise Conflict.of("task is already claimed by %(user)s", user=item.assignee)
    work_keys.claimed(session, item_id, True)
    session.refresh(item)
    audit.record(session, who, "task.claimed", case_id=item.case_id, task_id=item.id,
                 element_id=item.element_id, before={"assignee": None},
                 after={"assignee": holder})
    return item


def unclaim(session: Session, item_id: str, actor: Actor) -> WorkItem:
    item = get(session, item_id)
    if item.state != "open":
        raise TaskNotReady.of("task is %(status)s", status=item.state)
    if item.assignee is None:
        return item
    if item.assignee != actor.username and not actor.is_admin:
        raise Forbidden.of("task is claimed by %(user)s", user=item.assignee)
    before = item.assignee
    item.assignee = None
    work_keys.claimed(session, item.id, False)
    audit.record(session, actor, "task.unclaimed", case_id=item.case_id, task_id=item.id,
                 element_id=item.element_id, before={"assignee": before},
                 after={"assignee": None})
    return item


def inbox(session: Session, actor: Actor, *, tab: str = "all", limit: int = 50,
          offset: int = 0, kind: str = "user") -> tuple[list[WorkItem], int]:
    """Open work items for ACTOR: assigned to them ('mine'), claimable ('group') or both.

    Claimable is what engine.casework.task_access lets ACTOR take: within the offices ACTOR is
    posted at.
    """
    mine = WorkItem.assignee == actor.username
    claimable = and_(WorkItem.assignee.is_(None), task_access.claimable_filter(actor))
    if actor.is_admin and tab == "all":
        cond: Any = WorkItem.state == "open"
    elif tab == "mine":
        cond = mine
    elif tab == "group":
        cond = claimable
    else:
        cond = or_(mine, claimable)
    query = select(WorkItem).where(WorkItem.state == "open", WorkItem.kind != "external", cond)
    if kind != "any":
        query = query.where(WorkItem.kind.in_(("user", "manual", "cooperation")))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(WorkItem.due_at.is_(None), WorkItem.due_at,
                                          WorkItem.created_at, WorkItem.id)
                           .limit(limit).offset(offset)).all()
    return list(rows), total


def as_dict(item: WorkItem) -> dict[str, Any]:
    return {
        "id": item.id, "case_id": item.case_id, "kind": item.kind, "element": item.element_id,
        "process": item.process_id, "title": item.title, "lane": item.lane,
        "documentation": item.documentation, "state": item.state, "assignee": item.assignee,
        "candidate_groups": item.candidate_names("group"),
        "candidate_users": item.candidate_names("user"),
        "form_schema": item.form_schema, "form_ui_schema": item.form_ui_schema,
        "topic": item.topic, "created_at": item.created_at.isoformat(),
        "due_at": item.due_at.isoformat() if item.due_at else None,
        "completed_at": item.completed_at.isoformat() if item.completed_at else None,
        "completed_by": item.completed_by,
    }
