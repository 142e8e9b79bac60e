"""Comments: notes clerks leave on a case or one of its tasks, audited like every step."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework import permissions
from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import FieldError, InvalidInput, NotFound
from engine.models import Case, Comment, WorkItem

MAX_BODY = 4000


def add(session: Session, case: Case, actor: Actor, body: str,
        task_id: str | None = None) -> Comment:
    """Leave BODY on CASE (about TASK_ID when given) as ACTOR."""
    permissions.check_staff_visible(session, case, actor)
    text = body.strip()
    if not text:
        raise InvalidInput("the comment is empty", [FieldError("body", "must not be empty")])
    if len(text) > MAX_BODY:
        raise InvalidInput("the comment is too long",
                           [FieldError("body", f"must be at most {MAX_BODY} characters")])
    if task_id is not None:
        item = session.get(WorkItem, task_id)
        if item is None or item.case_id != case.id:
            raise NotFound(f"case {case.number} has no task {task_id}")
    comment = Comment(case_id=case.id, task_id=task_id, author=actor.label, body=text,
                      created_at=clock.now())
    session.add(comment)
    session.flush()
    audit.record(session, actor, "case.commented", case_id=case.id, task_id=task_id,
                 after={"comment_id": comment.id}, body=text)
    return comment


def list_for_case(session: Session, case: Case, actor: Actor) -> list[Comment]:
    """CASE's comments, oldest first, for whoever may see the case."""
    permissions.check_staff_visible(session, case, actor)
    return list(session.scalars(select(Comment).where(Comment.case_id == case.id)
                                .order_by(Comment.id)))


def as_dict(comment: Comment) -> dict[str, Any]:
    """A comment for the API and the task page."""
    return {"id": comment.id, "case_id": comment.case_id, "task_id": comment.task_id,
            "author": comment.author, "body": comment.body,
            "created_at": comment.created_at.isoformat()}
