"""Who may see, claim and work on a task: one rule for the inbox, the API, pages and delegation.

The rule follows the org model. A candidate user, or a candidate group scoped to an office
(``reviewer@dept_market``, ``office:branch_tieying``), matches as it is. A bare role
(``window_clerk``) names every clerk of that role, so for someone posted at offices it
matches only the cases accepted at one of those offices (or accepted nowhere): a window
clerk of one branch neither sees nor takes the walk-ins of another. A task nobody was named
for belongs to the office that accepted its case, and to everyone when no office did.

The rule is written for each shape of question: ``is_candidate`` answers for one task in
Python from the task's candidates (no extra query on the hot path of completing a task),
``candidate_filter`` answers in SQL for any task, open or closed, and ``claimable_filter``
answers for an inbox of open work from the claim keys engine.runtime.work_keys writes when
a task opens. All are built from ``scope_of`` and the tests check that they agree.

Beyond candidates: admins may work on anything; supervisors and operators see every task
(engine.casework.permissions) but work only their own; an agent acting for its principal
takes the principal's tasks; external tasks are fetched by integration workers and are not
bound to an office.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, false, func, or_, select, union
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement

from engine.core.actors import Actor
from engine.models import Candidate, Case, OpenWorkKey, WorkItem
from engine.models.offices import ROLES
from engine.org.offices.members import OFFICE_PREFIX


@dataclass(frozen=True)
class Scope:
    """ACTOR's groups that match as they are, its bare roles and the offices those cover."""

    plain: frozenset[str]
    bare: frozenset[str]
    offices: frozenset[str]


def offices_of(actor: Actor) -> list[str]:
    """The codes of the offices ACTOR is posted at (from its office: groups)."""
    return sorted(g[len(OFFICE_PREFIX):] for g in actor.groups if g.startswith(OFFICE_PREFIX))


def scope_of(actor: Actor) -> Scope:
    """Split ACTOR's groups: someone posted nowhere keeps every group unscoped."""
    offices = frozenset(offices_of(actor))
    if not offices:
        return Scope(frozenset(actor.groups), frozenset(), offices)
    bare = frozenset(g for g in actor.groups if g in ROLES)
    return Scope(frozenset(actor.groups) - bare, bare, offices)


def _office_of_case(session: Session, item: WorkItem) -> str | None:
    case = session.get(Case, item.case_id)
    return case.office_code if case is not None else None


def is_candidate(session: Session, item: WorkItem, actor: Actor) -> bool:
    """Whether ACTOR is among ITEM's candidates, within the offices ACTOR is posted at."""
    users = item.candidate_names("user")
    groups = frozenset(item.candidate_names("group"))
    if actor.username in users:
        return True
    if item.kind == "external":
        return (not users and not groups) or bool(actor.groups & groups)
    scope = scope_of(actor)
    if scope.plain & groups:
        return True
    if (users or groups) and not scope.bare & groups:
        return False
    # a bare role, or nobody named: the case must be one of ACTOR's offices (or none's)
    office = _office_of_case(session, item)
    return office is None or office in scope.offices


def claim_keys(actor: Actor) -> list[str]:
    """The keys (engine.runtime.work_keys) of the open tasks ACTOR is a candidate for."""
    scope = scope_of(actor)
    places = ["", *sorted(scope.offices)]
    return ([f"u:{actor.username}"] + [f"g:{g}" for g in sorted(scope.plain)]
            + [f"r:{role}@{place}" for role in sorted(scope.bare) for place in places]
            + [f"o:{place}" for place in places])


def _claimable(actor: Actor) -> Select[Any]:
    return select(OpenWorkKey.work_item_id).where(OpenWorkKey.key.in_(claim_keys(actor)),
                                                  OpenWorkKey.claimed == false())


def claimable_filter(actor: Actor) -> ColumnElement[bool]:
    """A filter on work items: open person work nobody holds that ACTOR is a candidate for
    (candidate_filter's rule), read from the claim keys, so it costs what ACTOR's own
    claimable work costs."""
    return WorkItem.id.in_(_claimable(actor))


def count_claimable(session: Session, actor: Actor) -> int:
    """How many tasks claimable_filter lets through, counted from the claim keys alone."""
    held = _claimable(actor).with_only_columns(func.count(OpenWorkKey.work_item_id.distinct()))
    return session.scalar(held) or 0


def candidate_filter(actor: Actor) -> ColumnElement[bool]:
    """A filter on person work items: ACTOR is a candidate, as is_candidate decides.

    Built as one set of ids from the candidate rows (by the caller's names) and the cases
    of the caller's offices, so it costs what the caller's own work costs, not the inbox.
    """
    scope = scope_of(actor)
    named = [and_(Candidate.kind == "user", Candidate.name == actor.username)]
    if scope.plain:
        named.append(and_(Candidate.kind == "group", Candidate.name.in_(sorted(scope.plain))))
    parts: list[Select[Any]] = [select(Candidate.work_item_id).where(or_(*named))]
    # an alias, so the filter never correlates with a Case of the query it is put in
    case = aliased(Case)
    local = select(case.id).where(or_(case.office_code.is_(None),
                                      case.office_code.in_(sorted(scope.offices))))
    if scope.bare:
        parts.append(select(Candidate.work_item_id).where(
            Candidate.kind == "group", Candidate.name.in_(sorted(scope.bare)),
            Candidate.case_id.in_(local)))
    unnamed = aliased(WorkItem)
    parts.append(select(unnamed.id).where(
        unnamed.case_id.in_(local), ~exists().where(Candidate.work_item_id == unnamed.id)))
    return WorkItem.id.in_(union(*parts))


def _for_principal(item: WorkItem, agent: Actor, principal: str) -> bool:
    """An agent made by agency.acting_as may take its principal's own tasks."""
    if agent.on_behalf_of != principal:
        return False
    if item.assignee:
        return item.assignee == principal
    return principal in item.candidate_names("user")


def may_claim(session: Session, item: WorkItem, actor: Actor,
              on_behalf_of: str | None = None) -> bool:
    """Whether ACTOR (or ACTOR as agent of ON_BEHALF_OF) may take ITEM."""
    if on_behalf_of is not None:
        return _for_principal(item, actor, on_behalf_of)
    return actor.is_admin or is_candidate(session, item, actor)


def may_work_on(session: Session, item: WorkItem, actor: Actor,
                on_behalf_of: str | None = None) -> bool:
    """Admins, the assignee, or (while unclaimed) a candidate within their offices."""
    if on_behalf_of is not None:
        return _for_principal(item, actor, on_behalf_of)
    if actor.is_admin:
        return True
    if item.assignee:
        return item.assignee == actor.username
    return is_candidate(session, item, actor)
