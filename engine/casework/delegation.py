"""Delegation: hand an open task to another clerk who could work on it, with audit."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from engine.casework import inbox, task_access, work_items
from engine.core import audit
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound, TaskNotReady
from engine.models import Case, Membership, User, WorkItem
from engine.org import roles, users
from engine.org.offices.members import OFFICE_PREFIX
from engine.runtime import work_keys

MAX_NOTE = 1000
MAX_CHOICES = 200


class TargetRefused(InvalidInput):
    """The user a task was to be handed to (params["user"]) cannot take it.

    REASON is one of ``unknown`` (no such user), ``inactive`` or ``not_candidate``.
    """

    reason = ""


def _refused(reason: str, text: str, username: str, field: str) -> TargetRefused:
    err = TargetRefused.of(text, [FieldError("to", field)], user=username)
    err.reason = reason
    return err


def _may_hand_over(session: Session, item: WorkItem, actor: Actor) -> bool:
    """The assignee, a candidate of an unclaimed task, a supervisor or an admin."""
    if roles.sees_everything(actor):
        return True
    return task_access.may_work_on(session, item, actor)


def _target(session: Session, username: str) -> Actor:
    try:
        user = users.get_user(session, username.strip())
    except NotFound as err:
        raise _refused("unknown", "no user '%(user)s'", username, "no such user") from err
    if not user.active:
        raise _refused("inactive", "user '%(user)s' is not active", username,
                       "the user is deactivated")
    return users.actor_of(user)


def choices(session: Session, item: WorkItem) -> list[User]:
    """The active users ITEM could be handed to (candidates within their offices), by name."""
    named = item.candidate_names("user")
    groups = item.candidate_names("group")
    if not named and not groups:
        case = session.get(Case, item.case_id)
        if case is not None and case.office_code:
            groups = [f"{OFFICE_PREFIX}{case.office_code}"]
    held = select(Membership.user_id).where(Membership.group_name.in_(groups))
    query = select(User).where(User.active.is_(True),
                               or_(User.username.in_(named), User.id.in_(held)))
    found = [u for u in session.scalars(query.order_by(User.username).limit(MAX_CHOICES * 5))
             if u.username != item.assignee
             and task_access.may_claim(session, item, users.actor_of(u))]
    return sorted(found, key=lambda u: (u.display_name or u.username, u.username))[:MAX_CHOICES]


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
        raise _refused("not_candidate", "%(user)s may not work on this task",
                       target.username, "not a candidate for this task in their offices")
    before = item.assignee
    owner = WorkItem.assignee.is_(None) if before is None else WorkItem.assignee == before
    result = session.execute(
        update(WorkItem).where(WorkItem.id == item.id, WorkItem.state == "open", owner)
        .values(assignee=target.username).execution_options(synchronize_session=False))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Conflict(f"task '{item.title}' changed meanwhile; look again")
    work_keys.claimed(session, item.id, True)
    session.refresh(item)
    audit.record(session, actor, "task.delegated", case_id=item.case_id, task_id=item.id,
                 element_id=item.element_id, before={"assignee": before},
                 after={"assignee": target.username}, note=note.strip())
    return item
