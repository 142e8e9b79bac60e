"""Who may do what beyond working their own tasks: group names and checks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_
from sqlalchemy.sql import ColumnElement

from .actors import Actor
from .errors import Forbidden
from .models import Candidate, Case, WorkItem

# deploy bundles
DESIGNERS = frozenset({"designer"})
# cancel or retry anyone's case, see every case
OPERATORS = frozenset({"supervisor", "operator"})
# outside systems: send messages and signals, work external tasks
INTEGRATIONS = frozenset({"integration", "worker"})


def require(actor: Actor, groups: frozenset[str], what: str) -> None:
    """Raise Forbidden unless ACTOR is an admin or in one of GROUPS."""
    if actor.is_admin or actor.groups & groups:
        return
    raise Forbidden(f"{actor.username} may not {what} "
                    f"(needs one of the groups: {', '.join(sorted(groups))})")


def sees_everything(actor: Actor) -> bool:
    return actor.is_admin or bool(actor.groups & OPERATORS)


def visible_cases(actor: Actor) -> ColumnElement[bool] | None:
    """A filter on Case rows: the cases ACTOR started or has (had) work on; None for all."""
    if sees_everything(actor):
        return None
    groups = sorted(actor.groups) or [""]
    involved = exists().where(
        WorkItem.case_id == Case.id,
        or_(WorkItem.assignee == actor.username, WorkItem.completed_by == actor.label,
            exists().where(Candidate.work_item_id == WorkItem.id, or_(
                and_(Candidate.kind == "group", Candidate.name.in_(groups)),
                and_(Candidate.kind == "user", Candidate.name == actor.username)))))
    return or_(Case.started_by == actor.label, Case.started_by == actor.username, involved)


def check_visible(session: Any, case: Case, actor: Actor) -> None:
    """Raise NotFound-like Forbidden when ACTOR may not look at CASE."""
    condition = visible_cases(actor)
    if condition is None:
        return
    from sqlalchemy import select

    if session.scalar(select(Case.id).where(Case.id == case.id, condition)) is None:
        raise Forbidden(f"{actor.username} may not see case {case.number}")
