"""Cooperation (协办): bring another department in on a task with a question it answers."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework import work_items
from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound, TaskNotReady
from engine.models import (
    Candidate,
    CooperationRequest,
    Membership,
    Office,
    OfficeMember,
    User,
    WorkItem,
)
from engine.models.offices import ROLES
from engine.org.offices.members import OFFICE_PREFIX
from engine.runtime import work_keys
from engine.runtime.case_runner import lock_case

KIND = "cooperation"
MAX_DUE_DAYS = 60
MAX_TEXT = 4000
# roles whose office groups are offered as co-handlers: the people who decide or accept
ASKED_ROLES = ("reviewer", "window_clerk", "supervisor", "leader")


class UnknownGroup(InvalidInput):
    """No office has the group (params["group"]) and nobody belongs to it: a request to it
    would stay open for ever."""


def _text(name: str, value: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"the {name} is empty", [FieldError(name, "must not be empty")])
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"the {name} is too long",
                           [FieldError(name, f"must be at most {MAX_TEXT} characters")])
    return text


def known_group(session: Session, group: str) -> bool:
    """Whether GROUP can be worked: an active user holds it, or it is a role of an office."""
    held = session.scalar(select(Membership.id).join(User)
                          .where(Membership.group_name == group, User.active.is_(True)).limit(1))
    if held is not None:
        return True
    role, at, office = group.partition("@")
    if group.startswith(OFFICE_PREFIX):
        office = group[len(OFFICE_PREFIX):]
    elif not at or role not in ROLES:
        return False
    return session.scalar(select(Office.id).where(Office.code == office)) is not None


def group_choices(session: Session) -> list[str]:
    """The office groups a request may go to: ASKED_ROLES where an active user is posted."""
    rows = session.execute(
        select(OfficeMember.role, Office.code).join(Office, OfficeMember.office_id == Office.id)
        .join(User, OfficeMember.user_id == User.id)
        .where(User.active.is_(True), OfficeMember.role.in_(ASKED_ROLES))
        .distinct())
    return sorted(f"{role}@{code}" for role, code in rows)


def ask(session: Session, item_id: str, group: str, question: str, actor: Actor,
        due_days: int = 3) -> CooperationRequest:
    """Put QUESTION about task ITEM_ID to GROUP, as a work item in that group's inbox."""
    text = _text("question", question)
    group = group.strip()
    if not group or len(group) > 120:
        raise InvalidInput("name the co-handling group",
                           [FieldError("group", "must be a group name of 1-120 characters")])
    if not known_group(session, group):
        raise UnknownGroup.of("no office has the group '%(group)s'",
                              [FieldError("group", f"no office has the group '{group}'")],
                              group=group)
    if not 1 <= due_days <= MAX_DUE_DAYS:
        raise InvalidInput("the due days are out of range",
                           [FieldError("due_days", f"must be 1 to {MAX_DUE_DAYS}")])
    main = work_items.get(session, item_id)
    case = lock_case(session, main.case_id)
    session.refresh(main, ["state", "assignee"])
    if main.kind not in ("user", "manual"):
        raise Conflict(f"cooperation is asked on a person's task, not a {main.kind} task")
    if main.state != "open":
        raise TaskNotReady(f"task '{main.title}' is already {main.state}")
    if not work_items.may_work_on(main, actor):
        raise Forbidden(f"{actor.label} may not work on task '{main.title}'")
    if case.status != "running":
        raise Conflict(f"case {case.number} is {case.status}")
    now = clock.now()
    due = now + timedelta(days=due_days)
    item = WorkItem(
        id=str(uuid.uuid4()), case_id=case.id, kind=KIND, element_id=main.element_id,
        process_id=main.process_id, title=f"协办: {main.title}"[:300], lane=None,
        documentation=text, state="open", created_at=now, due_at=due, properties={},
        input_data={"question": text, "main_task": main.id, "requested_by": actor.label})
    item.candidates = [Candidate(case_id=case.id, kind="group", name=group)]
    session.add(item)
    session.flush()
    work_keys.opened(session, case, [item])
    request = CooperationRequest(
        case_id=case.id, work_item_id=main.id, cooperation_item_id=item.id,
        requested_by=actor.label, group_name=group, question=text, due_at=due, state="open",
        created_at=now)
    session.add(request)
    session.flush()
    audit.record(session, actor, "cooperation.asked", case_id=case.id, task_id=main.id,
                 element_id=main.element_id, after={"group": group, "due_at": due.isoformat()},
                 request=request.id, cooperation_task=item.id, question=text)
    return request


def get(session: Session, ref: int | str) -> CooperationRequest:
    """A request by its id or by the id of its cooperation work item."""
    text = str(ref)
    if isinstance(ref, int) or (text.isascii() and text.isdigit()):
        number = int(text)
        found = session.get(CooperationRequest, number) if 0 < number < 2**63 else None
    else:
        found = session.scalar(select(CooperationRequest)
                               .where(CooperationRequest.cooperation_item_id == text))
    if found is None:
        raise NotFound(f"cooperation request {ref} not found")
    return found


def answer(session: Session, ref: int | str, text: str, actor: Actor) -> CooperationRequest:
    """Answer a request (a member of its group) and close its work item."""
    reply = _text("answer", text)
    request = get(session, ref)
    lock_case(session, request.case_id)
    session.refresh(request)
    item = work_items.get(session, request.cooperation_item_id)
    session.refresh(item, ["state", "assignee"])
    if request.state != "open" or item.state != "open":
        raise Conflict.of("cooperation request %(request)s is already %(status)s",
                          request=request.id, status=request.state)
    if not work_items.may_work_on(item, actor):
        raise Forbidden(f"{actor.label} may not answer for {request.group_name}")
    now = clock.now()
    request.state, request.answer = "answered", reply
    request.answered_by, request.answered_at = actor.label, now
    item.state, item.completed_at, item.completed_by = "completed", now, actor.label
    work_keys.closed(session, [item.id])
    audit.record(session, actor, "cooperation.answered", case_id=request.case_id,
                 task_id=item.id, element_id=item.element_id, before={"state": "open"},
                 after={"state": "answered"}, request=request.id, answer=reply)
    return request


def list_for_case(session: Session, case_id: int) -> list[CooperationRequest]:
    """A case's cooperation requests, oldest first."""
    return list(session.scalars(select(CooperationRequest)
                                .where(CooperationRequest.case_id == case_id)
                                .order_by(CooperationRequest.id)))


def list_for_task(session: Session, item_id: str) -> list[CooperationRequest]:
    """The cooperation requests asked about one task, oldest first."""
    return list(session.scalars(select(CooperationRequest)
                                .where(CooperationRequest.work_item_id == item_id)
                                .order_by(CooperationRequest.id)))


def as_dict(request: CooperationRequest) -> dict[str, Any]:
    return {"id": request.id, "case_id": request.case_id, "task_id": request.work_item_id,
            "cooperation_task_id": request.cooperation_item_id, "group": request.group_name,
            "question": request.question, "requested_by": request.requested_by,
            "due_at": request.due_at.isoformat() if request.due_at else None,
            "state": request.state, "answer": request.answer,
            "answered_by": request.answered_by,
            "answered_at": request.answered_at.isoformat() if request.answered_at else None,
            "created_at": request.created_at.isoformat()}
