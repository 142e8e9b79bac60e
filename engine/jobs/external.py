"""External work (Camunda external tasks): fetch-and-lock by topic, complete, fail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.casework.completion import complete as complete_item
from engine.casework.work_items import get
from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, InvalidInput
from engine.models import Case, WorkItem
from engine.org import roles
from engine.runtime.case_runner import lock_case
from engine.runtime.engine import Engine


def fetch_and_lock(session: Session, worker_id: str, topics: list[str], *, actor: Actor,
                   max_tasks: int = 10, lock_seconds: int = 60) -> list[dict[str, Any]]:
    """Lock up to MAX_TASKS open external items of TOPICS for WORKER_ID; return their data."""
    roles.require(actor, roles.INTEGRATIONS, "work external tasks")
    if not worker_id or not topics:
        raise InvalidInput("give a workerId and at least one topic")
    now = clock.now()
    query = (select(WorkItem).where(
        WorkItem.kind == "external", WorkItem.state == "open", WorkItem.topic.in_(topics),
        or_(WorkItem.retries_left.is_(None), WorkItem.retries_left > 0),
        or_(WorkItem.lock_expires_at.is_(None), WorkItem.lock_expires_at < now))
        .order_by(WorkItem.created_at).limit(max(1, min(max_tasks, 100)))
        .with_for_update(skip_locked=True))
    items = session.scalars(query).all()
    out = []
    for item in items:
        item.lock_owner = worker_id
        item.lock_expires_at = now + timedelta(seconds=max(1, lock_seconds))
        out.append({"id": item.id, "topic": item.topic, "case_id": item.case_id,
                    "element": item.element_id,
                    "lock_expires_at": item.lock_expires_at.isoformat(),
                    "variables": item.input_data})
    return out


def _locked_by(item: WorkItem, worker_id: str) -> None:
    if item.kind != "external":
        raise Conflict("this is not external work")
    if item.state != "open":
        raise Conflict(f"external task is already {item.state}")
    if item.lock_owner != worker_id:
        raise Conflict(f"external task is locked by {item.lock_owner or 'nobody'}, "
                       f"not {worker_id}")


def complete(rt: Engine, session: Session, item_id: str, worker_id: str,
             variables: dict[str, Any] | None, actor: Actor) -> Case:
    roles.require(actor, roles.INTEGRATIONS, "work external tasks")
    item = get(session, item_id)
    _locked_by(item, worker_id)
    return complete_item(rt, session, item_id, variables or {}, actor,
                         external_worker=worker_id)


def fail(session: Session, item_id: str, worker_id: str, message: str, *, retries: int,
         retry_timeout_ms: int, actor: Actor) -> WorkItem:
    """Record a failure; with retries left the item is fetchable again after the timeout."""
    roles.require(actor, roles.INTEGRATIONS, "work external tasks")
    item = get(session, item_id)
    _locked_by(item, worker_id)
    item.last_error = (message or "failed")[:4000]
    item.retries_left = max(0, retries)
    item.lock_owner = None
    item.lock_expires_at = clock.now() + timedelta(milliseconds=max(0, retry_timeout_ms))
    audit.record(session, actor, "external.failed", case_id=item.case_id, task_id=item.id,
                 element_id=item.element_id, message=item.last_error, retries=retries)
    if item.retries_left == 0:
        # out of retries: an incident on the case, until an operator retries it
        case = lock_case(session, item.case_id)
        case.status = "error"
        case.error_message = f"external task '{item.title}' failed: {item.last_error}"
        case.error_element = item.element_id
        case.error_task_id = item.id
        audit.record(session, actor, "case.error", case_id=case.id, task_id=item.id,
                     element_id=item.element_id, after={"status": "error"},
                     message=case.error_message)
    return item
