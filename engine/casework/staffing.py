"""Work no one can take: open tasks whose candidates resolve to no active account.

A task is unstaffed when nobody has claimed it and none of its candidates reaches an active
account, by the rule of ``engine.casework.task_access``: a candidate user is that account;
a group scoped to an office (``reviewer@branch_yangan``, ``office:dept_market``) reaches
its members; a bare role (``reviewer``) reaches the members of that role who are posted at
the case's office, or posted nowhere. A task nobody was named for belongs to the staff of
the office that accepted its case. Deactivated accounts reach nobody, and administrators
are not counted by their power to work on anything.

The question is answered for every open task at once, in one query, so the supervision
queue and the admin home cost the same with ten tasks or ten thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, and_, exists, func, literal, not_, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement

from engine.models import Candidate, Case, Membership, User, WorkItem
from engine.models.offices import ROLES
from engine.org.offices.members import OFFICE_PREFIX

# the kinds of work items a person takes (external tasks are fetched by workers)
PERSON_KINDS = ("user", "manual")


@dataclass(frozen=True)
class UnstaffedTask:
    """One open task no active account can take, with what a supervisor needs to fix it."""

    work_item_id: str
    case_id: int
    case_number: str
    case_title: str
    bundle: str
    office: str | None
    title: str
    groups: tuple[str, ...]
    users: tuple[str, ...]
    created_at: datetime
    due_at: datetime | None


def _reached(item: type[WorkItem], case: type[Case]) -> ColumnElement[bool]:
    """Whether some candidate of ITEM (in CASE) reaches an active account."""
    cand = aliased(Candidate)
    member = aliased(Membership)
    person = aliased(User)
    posted = aliased(Membership)
    here = aliased(Membership)
    account = aliased(User)
    office_group = literal(OFFICE_PREFIX, String) + case.office_code
    as_user = exists().where(account.username == cand.name,
                             account.active.is_(True)).correlate(cand)
    as_group = exists().where(
        member.group_name == cand.name, person.id == member.user_id,
        person.active.is_(True),
        or_(cand.name.not_in(ROLES), case.office_code.is_(None),
            # a bare role: its members posted at the case's office, or posted nowhere
            ~exists().where(posted.user_id == person.id,
                            func.substr(posted.group_name, 1, len(OFFICE_PREFIX))
                            == OFFICE_PREFIX).correlate(person),
            exists().where(here.user_id == person.id, here.group_name == office_group)
            .correlate(case, person))).correlate(case, cand)
    return exists().where(cand.work_item_id == item.id, or_(
        and_(cand.kind == "user", as_user), and_(cand.kind == "group", as_group))
    ).correlate(item, case)


def _named_or_office_empty(item: type[WorkItem], case: type[Case]) -> ColumnElement[bool]:
    """ITEM names candidates, or (named for nobody) belongs to the staff of its case's
    office and that office has no active member; a case accepted nowhere is everyone's."""
    cand = aliased(Candidate)
    member = aliased(Membership)
    person = aliased(User)
    office_group = literal(OFFICE_PREFIX, String) + case.office_code
    return or_(
        exists().where(cand.work_item_id == item.id).correlate(item),
        and_(case.office_code.is_not(None),
             ~exists().where(member.group_name == office_group, person.id == member.user_id,
                             person.active.is_(True)).correlate(case)))


def _unstaffed_filter() -> list[ColumnElement[bool]]:
    return [WorkItem.state == "open", WorkItem.kind.in_(PERSON_KINDS),
            WorkItem.assignee.is_(None), Case.status == "running",
            not_(_reached(WorkItem, Case)), _named_or_office_empty(WorkItem, Case)]


def count_unstaffed(session: Session) -> int:
    """How many open tasks no active account can take."""
    return int(session.scalar(
        select(func.count(WorkItem.id)).join(Case, Case.id == WorkItem.case_id)
        .where(*_unstaffed_filter())) or 0)


def unstaffed_tasks(session: Session, *, limit: int | None = None) -> list[UnstaffedTask]:
    """Open tasks no active account can take, oldest first (at most LIMIT of them)."""
    query = (select(WorkItem, Case).join(Case, Case.id == WorkItem.case_id)
             .where(*_unstaffed_filter()).order_by(WorkItem.created_at, WorkItem.id))
    if limit is not None:
        query = query.limit(limit)
    return [UnstaffedTask(
        work_item_id=item.id, case_id=case.id, case_number=case.number,
        case_title=case.title, bundle=case.bundle_key, office=case.office_code,
        title=item.title, groups=tuple(item.candidate_names("group")),
        users=tuple(item.candidate_names("user")), created_at=item.created_at,
        due_at=item.due_at) for item, case in session.execute(query).all()]
