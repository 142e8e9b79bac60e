"""Append audit events: who did what to which case or task, with before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from engine.core import clock
from engine.core.actors import Actor
from engine.models import AuditEvent

_EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]
# built once: every command appends an event, and building the statement costs more
# than running it
_APPEND = insert(_EVENTS)


def record(session: Session, actor: Actor | str, action: str, *, case_id: int | None = None,
           task_id: str | None = None, element_id: str | None = None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           **detail: Any) -> None:
    """Append one event to the trail (inside the caller's transaction).

    The row is written at once; pending changes of the session are flushed first, so
    the event never refers to a row not yet written.
    """
    who = actor.label if isinstance(actor, Actor) else actor
    session.execute(_APPEND, {"case_id": case_id, "at": clock.now(), "actor": who,
                              "action": action, "task_id": task_id, "element_id": element_id,
                              "before": before, "after": after, "detail": detail})


def trail(session: Session, case_id: int, limit: int = 500) -> list[AuditEvent]:
    return list(session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case_id)
        .order_by(AuditEvent.id).limit(limit)))


def as_dict(event: AuditEvent) -> dict[str, Any]:
    return {"id": event.id, "at": event.at.isoformat(), "actor": event.actor,
            "action": event.action, "task_id": event.task_id, "element_id": event.element_id,
            "before": event.before, "after": event.after, "detail": event.detail}
