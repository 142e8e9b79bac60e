"""Watching a case: its open work shows in the watcher's 'watched' inbox tab."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.casework import permissions
from engine.core import audit, clock
from engine.core.actors import Actor
from engine.models import Case, Watch


def is_watching(session: Session, case_id: int, username: str) -> bool:
    """Whether USERNAME watches the case CASE_ID."""
    return session.scalar(select(Watch.id).where(Watch.case_id == case_id,
                                                 Watch.username == username)) is not None


def watch(session: Session, case: Case, actor: Actor) -> bool:
    """Follow CASE; True if this started watching (False: already watched)."""
    permissions.check_staff_visible(session, case, actor)
    if is_watching(session, case.id, actor.username):
        return False
    session.add(Watch(username=actor.username, case_id=case.id, created_at=clock.now()))
    session.flush()
    audit.record(session, actor, "case.watched", case_id=case.id)
    return True


def unwatch(session: Session, case: Case, actor: Actor) -> bool:
    """Stop following CASE; True if it was watched."""
    result = session.execute(delete(Watch).where(Watch.case_id == case.id,
                                                 Watch.username == actor.username)
                             .execution_options(synchronize_session=False))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        return False
    audit.record(session, actor, "case.unwatched", case_id=case.id)
    return True


def watched_cases(session: Session, actor: Actor, limit: int = 200) -> list[Case]:
    """The cases ACTOR watches, most recently watched first."""
    return list(session.scalars(
        select(Case).join(Watch, Watch.case_id == Case.id)
        .where(Watch.username == actor.username).order_by(Watch.id.desc()).limit(limit)))


def as_dict(case: Case, watching: bool) -> dict[str, Any]:
    """Whether the caller watches CASE."""
    return {"case_id": case.id, "number": case.number, "watching": watching}
