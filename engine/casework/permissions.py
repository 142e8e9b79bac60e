"""Who may see a case: the one rule behind pages, the API, downloads, audit and diagrams.

A person sees a case when it is theirs (they are its applicant, or started it for
themselves), when they hold an agency authorisation in force from its applicant that
covers it, or when they have work on it: a task of it they may work on now (by the rule
of engine.casework.task_access: a candidate within their offices, or its assignee) or one they
completed themselves. Admins, supervisors and operators see every case, county leaders
read every case. Nothing else grants sight: not being in the same group as the
applicant, not a value in the case's data.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from engine.casework import agency
from engine.casework.task_access import candidate_filter, is_candidate
from engine.core import clock
from engine.core.actors import Actor
from engine.core.errors import Forbidden
from engine.models import AgencyAuthorization, Case, Watch, WorkItem
from engine.org.roles import INTEGRATIONS, reads_everything


def _authorised(actor: Actor) -> ColumnElement[bool]:
    """An agency authorisation in force from the case's applicant covers the case."""
    grant = AgencyAuthorization
    now = clock.now()
    return exists().where(
        grant.agent == actor.username, grant.principal == Case.applicant,
        grant.revoked.is_(False), grant.valid_from <= now, grant.valid_until > now,
        or_(grant.bundle_key.is_(None), grant.bundle_key == Case.bundle_key),
        or_(grant.case_id.is_(None), grant.case_id == Case.id))


def _has_work(actor: Actor) -> ColumnElement[bool]:
    """A task of the case ACTOR holds, completed, or may take now."""
    return exists().where(
        WorkItem.case_id == Case.id,
        or_(WorkItem.assignee == actor.username, WorkItem.completed_by == actor.username,
            and_(WorkItem.state == "open", WorkItem.assignee.is_(None),
                 candidate_filter(actor))))


def visible_cases(actor: Actor) -> ColumnElement[bool] | None:
    """A filter on Case rows: the cases ACTOR may see; None when ACTOR sees every case."""
    if reads_everything(actor):
        return None
    return or_(Case.applicant == actor.username, Case.started_by == actor.username,
               _authorised(actor), _has_work(actor))


def may_see_case(session: Session, case: Case, actor: Actor) -> bool:
    """Whether ACTOR may look at CASE."""
    condition = visible_cases(actor)
    if condition is None:
        return True
    return session.scalar(select(Case.id).where(Case.id == case.id, condition)) is not None


def check_visible(session: Session, case: Case, actor: Actor) -> None:
    """Raise Forbidden unless ACTOR may look at CASE."""
    if not may_see_case(session, case, actor):
        raise Forbidden.of("%(user)s may not see case %(case)s", user=actor.username,
                           case=case.number)


def check_staff_visible(session: Session, case: Case, actor: Actor) -> None:
    """Raise Forbidden unless ACTOR sees CASE as staff: through work on it, or because it
    reads every case. Internal notes and watching are not for the applicant's side."""
    if reads_everything(actor):
        return
    if session.scalar(select(Case.id).where(Case.id == case.id, _has_work(actor))) is None:
        raise Forbidden.of("%(user)s has no work on case %(case)s", user=actor.username,
                           case=case.number)


def may_see_task(session: Session, item: WorkItem, actor: Actor) -> bool:
    """Who may look at the task ITEM: its assignee, completer and candidates, integrations
    for external work, those who read every case, and watchers who still see its case."""
    if reads_everything(actor) or actor.username in (item.assignee, item.completed_by):
        return True
    if item.kind == "external" and actor.groups & INTEGRATIONS:
        return True
    if is_candidate(session, item, actor):
        return True
    case = session.get(Case, item.case_id)
    if case is not None and case.applicant and _for_applicant(item, case.applicant) and \
            agency.active_for(session, actor, case.applicant, agency.action_for(item.element_id),
                              case) is not None:
        return True  # the applicant's agent, within its authorisation
    watching = select(Watch.id).where(Watch.username == actor.username,
                                      Watch.case_id == item.case_id)
    if session.scalar(watching) is None:
        return False
    return case is not None and may_see_case(session, case, actor)


def _for_applicant(item: WorkItem, applicant: str) -> bool:
    """Whether ITEM is one of APPLICANT's own steps."""
    return item.assignee == applicant or applicant in item.candidate_names("user")
