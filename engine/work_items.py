"""Work items: the inbox, claim, unclaim and complete."""

from __future__ import annotations

import copy
from typing import Any
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from . import agency, audit, clock, forms
from .actors import Actor
from .case_runner import lock_case
from .errors import Conflict, Forbidden, NotFound, TaskNotReady
from .models import Candidate, Case, WorkItem


def get(session: Session, item_id: str) -> WorkItem:
    item = session.get(WorkItem, item_id)
    if item is None:
        raise NotFound(f"work item {item_id} not found")
    return item


def may_work_on(item: WorkItem, actor: Actor, on_behalf_of: str | None = None) -> bool:
    """Admins, the assignee, or (when unassigned) a candidate user or group member."""
    if on_behalf_of is not None:
        return _for_principal(item, actor, on_behalf_of)
    if actor.is_admin:
        return True
    if item.assignee:
        return item.assignee == actor.username
    return may_claim(item, actor)


def may_claim(item: WorkItem, actor: Actor, on_behalf_of: str | None = None) -> bool:
    if on_behalf_of is not None:
        return _for_principal(item, actor, on_behalf_of)
    if actor.is_admin:
        return True
    users = item.candidate_names("user")
    groups = item.candidate_names("group")
    if not users and not groups:
        # a task nobody was named for is open to everyone who can see the case
        return True
    return actor.username in users or bool(actor.groups.intersection(groups))


def _for_principal(item: WorkItem, agent: Actor, principal: str) -> bool:
    """An agent made by agency.acting_as may take its principal's own tasks."""
    if agent.on_behalf_of != principal:
        return False
    if item.assignee:
        return item.assignee == principal
    return principal in item.candidate_names("user")


def _acting(session: Session, item: WorkItem, actor: Actor, on_behalf_of: str | None) -> Actor:
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
    who = _acting(session, item, actor, on_behalf_of)
    if not may_claim(item, who, on_behalf_of):
        raise Forbidden(f"{who.label} is not a candidate for this task")
    holder = on_behalf_of or actor.username
    result = session.execute(
        update(WorkItem).where(WorkItem.id == item_id, WorkItem.state == "open",
                               or_(WorkItem.assignee.is_(None),
                                   WorkItem.assignee == holder))
        .values(assignee=holder).execution_options(synchronize_session=False))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        session.refresh(item)
        if item.state != "open":
            raise TaskNotReady(f"task is {item.state}")
        raise Conflict(f"task is already claimed by {item.assignee}")
    session.refresh(item)
    audit.record(session, who, "task.claimed", case_id=item.case_id, task_id=item.id,
                 element_id=item.element_id, before={"assignee": None},
                 after={"assignee": holder})
    return item


def unclaim(session: Session, item_id: str, actor: Actor) -> WorkItem:
    item = get(session, item_id)
    if item.state != "open":
        raise TaskNotReady(f"task is {item.state}")
    if item.assignee is None:
        return item
    if item.assignee != actor.username and not actor.is_admin:
        raise Forbidden(f"task is claimed by {item.assignee}")
    before = item.assignee
    item.assignee = None
    audit.record(session, actor, "task.unclaimed", case_id=item.case_id, task_id=item.id,
                 element_id=item.element_id, before={"assignee": before},
                 after={"assignee": None})
    return item


def complete(rt: Any, session: Session, item_id: str, data: Any, actor: Actor,
             *, external_worker: str | None = None, on_behalf_of: str | None = None) -> Case:
    """Validate DATA, finish the task and run the case on until it waits again."""
    from .cases import advance  # cases imports this module for as_dict

    item = get(session, item_id)
    case = lock_case(session, item.case_id)
    session.refresh(item, ["state", "assignee", "completed_by", "lock_owner"])
    if item.state != "open":
        raise TaskNotReady(f"task '{item.title}' is already {item.state}"
                           + (f" by {item.completed_by}" if item.completed_by else ""))
    if item.kind == "cooperation":
        raise Conflict("a cooperation request is answered through the cooperation API")
    if external_worker is None:
        if item.kind == "external":
            raise Conflict("external work is completed through the external-task API")
        actor = _acting(session, item, actor, on_behalf_of)
        if not may_work_on(item, actor, on_behalf_of):
            raise Forbidden(f"{actor.label} may not complete this task")
    bundle = rt.specs.get(session, case.deployment_id)
    forms.validate(forms.schema_for(bundle, item.form_schema), data)

    def finish(live: Any, _case: Case) -> None:
        task = live.workflow.get_task_from_id(UUID(item_id))
        if task is None or task.state != TaskState.READY:
            raise TaskNotReady(f"task '{item.title}' is no longer ready")
        task.data.update(copy.deepcopy(data))
        task.run()
        # closed before the sync so it is not mistaken for a task that vanished
        item.state = "completed"
        item.completed_at = clock.now()
        item.completed_by = actor.label
        item.lock_owner = None
        live.completed_item = item

    before = {"state": "open", "assignee": item.assignee}
    return advance(rt, session, item.case_id, actor, "task.completed", finish,
                   task_id=item.id, element_id=item.element_id, data=data,
                   task_before=before, locked=case)


def inbox(session: Session, actor: Actor, *, tab: str = "all", limit: int = 50,
          offset: int = 0, kind: str = "user") -> tuple[list[WorkItem], int]:
    """Open work items for ACTOR: assigned to them ('mine'), claimable ('group') or both."""
    names = [actor.username]
    candidate = exists().where(
        Candidate.work_item_id == WorkItem.id,
        or_(and_(Candidate.kind == "group", Candidate.name.in_(sorted(actor.groups) or [""])),
            and_(Candidate.kind == "user", Candidate.name.in_(names))))
    unnamed = ~exists().where(Candidate.work_item_id == WorkItem.id)
    mine = WorkItem.assignee == actor.username
    claimable = and_(WorkItem.assignee.is_(None), or_(candidate, unnamed))
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
