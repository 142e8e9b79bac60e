"""Delegation: hand an open task to another clerk who could work on it, with audit."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from engine.casework import inbox, task_access, work_items
from engine.core import audit
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound, TaskNotReady
from engine.models import WorkItem
from engine.org import roles, users

MAX_NOTE = 1000


def _may_hand_over(session: Session, item: WorkItem, actor: Actor) -> bool:
    """The assignee, a candidate of an unclaimed task, a supervisor or an admin."""
    if roles.sees_everything(actor):
        return True
    return task_access.may_work_on(session, item, actor)


def _target(session: Session, username: str) -> Actor:
    try:
        user = users.get_user(session, username.strip())
    except NotFound as err:
        raise InvalidInput(f"no user '{username}'", [FieldError("to", "no such user")]) from err
    if not user.active:
        raise InvalidInput(f"user '{username}' is not active",
                           [FieldError("to", "the user is deactivated")])
    return users.actor_of(user)


def delegate(session: Session, item_id: str, actor: Actor, to: str,
             note: str = "") -> WorkItem:
    """Assign task ITEM_ID to the user TO, who must be able to work on it."""
    if len(note) > MAX_NOTE:
        raise InvalidInput("the note is too long",
                           [FieldError("note", f"must be at most {MAX_NOTE} characters")])
    item = work_items.get(session, item_id)
    if item.kind not in inbox.PERSON_KINDS:
        raise Conflict(f"a {item.kind} task is not handed between people")
    if item.state != "open":
        raise TaskNotReady(f"task '{item.title}' is already {item.state}")
    if not _may_hand_over(session, item, actor):
        raise Forbidden(f"{actor.label} may not hand over task '{item.title}'")
    target = _target(session, to)
    if item.assignee == target.username:
        raise Conflict(f"task '{item.title}' is already assigned to {target.username}")
    if not task_access.may_claim(session, item, target):
        raise InvalidInput(f"{target.username} may not work on task '{item.title}'",
                           [FieldError("to", "not a candidate for this task in their offices")])
    before = item.assignee
    owner = WorkItem.assignee.is_(None) if before is None else WorkItem.assignee == before
    result = session.execute(
        update(WorkItem).where(WorkItem.id == item.id, WorkItem.state == "open", owner)
        .values(assignee=target.username).execution_options(synchronize_session=False))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict(f"task '{item.title}' changed meanwhile; look again")
    session.refresh(item)
    audit.record(session, actor, "task.delegated", case_id=item.case_id, task_id=item.id,
                 element_id=item.element_id, before={"assignee": before},
                 after={"assignee": target.username}, note=note.strip())
    return item
