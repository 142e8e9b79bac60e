"""Who may do what beyond working their own tasks: group names and checks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, or_
from sqlalchemy.sql import ColumnElement

from .actors import Actor
from .errors import Forbidden
from .models import Case, WorkItem

# deploy bundles
DESIGNERS = frozenset({"designer"})
# cancel or retry anyone's case, see every case
OPERATORS = frozenset({"supervisor", "operator"})
# read every case (county leaders follow the county's work; they act through extensions
# and escalated supervision orders, not on tasks)
READERS = frozenset({"leader"})
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
    if sees_everything(actor) or actor.groups & READERS:
        return None
    from .task_access import candidate_filter  # task_access builds on this module

    # a candidate by the same office-aware rule as the inbox: a window clerk of one branch
    # does not see another branch's walk-ins
    involved = exists().where(
        WorkItem.case_id == Case.id,
        or_(WorkItem.assignee == actor.username, WorkItem.completed_by == actor.label,
            candidate_filter(actor)))
    return or_(Case.started_by == actor.label, Case.started_by == actor.username, involved)


def check_visible(session: Any, case: Case, actor: Actor) -> None:
    """Raise NotFound-like Forbidden when ACTOR may not look at CASE."""
    condition = visible_cases(actor)
    if condition is None:
        return
    from sqlalchemy import select

    if session.scalar(select(Case.id).where(Case.id == case.id, condition)) is None:
        raise Forbidden(f"{actor.username} may not see case {case.number}")
