"""Staff case search: by case number (whole or its last digits), the applicant's name,
credit code or phone, within the cases the searcher may see (engine.casework.permissions).

The applicant's facts are read from case_search, written when the case starts
(``index_case``), never from the JSON start data. Results are bounded and paged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from engine.casework import permissions, search_fields, task_access
from engine.casework.materials import start_data
from engine.core.actors import Actor
from engine.core.errors import FieldError, Forbidden, InvalidInput, OnethingError
from engine.design import guides
from engine.models import Case, CaseSearch, WorkItem
from engine.org.roles import reads_everything
from engine.runtime.diagrams import CompiledBundle
from engine.runtime.engine import Engine

log = logging.getLogger(__name__)

# the roles that search cases as staff (the applicant's side has its own case list)
STAFF = frozenset({"window_clerk", "reviewer", "supervisor", "leader", "operator"})
MAX_QUERY = 100
MAX_LIMIT = 50
MAX_PAGE = 50
# shorter text matches too much to be worth a look
MIN_DIGITS = 3
_NUMBER = re.compile(r"^[A-Za-z]{1,10}-\d{4}-\d{1,12}$")
_CODE = re.compile(r"^[0-9A-Za-z]{6,40}$")


def index_case(session: Session, case: Case, bundle: CompiledBundle, process_id: str,
               guide: guides.Guide | None, data: dict[str, Any]) -> None:
    """Write the searchable facts of CASE's start DATA, as its bundle declares them."""
    fields = search_fields.declared(bundle, process_id, guide)
    found = search_fields.values(fields, data)
    if not any(found.values()):
        return
    session.add(CaseSearch(case_id=case.id, **found))


BACKFILL_BATCH = 200


def backfill(rt: Engine, session: Session, after: int = 0,
             limit: int = BACKFILL_BATCH) -> list[int]:
    """Index up to LIMIT cases after id AFTER that have no case_search row yet (cases
    started before the search existed), from the start data of their case.started audit
    event; the ids of the cases looked at (none once every case is done). A case whose
    bundle no longer compiles is skipped and logged; one with nothing to index stays so."""
    indexed = select(CaseSearch.case_id).where(CaseSearch.case_id == Case.id).exists()
    missing = list(session.scalars(select(Case).where(~indexed, Case.id > after)
                                   .order_by(Case.id).limit(limit)))
    for found in missing:
        try:
            bundle = rt.specs.get(session, found.deployment_id)
        except OnethingError as err:
            log.warning("case %s not indexed for search: %s", found.id, err.message)
            continue
        guide = guides.guide_of_version(rt.guides, found.deployment_id, bundle.files)
        index_case(session, found, bundle, found.process_id, guide, start_data(session, found))
    session.flush()
    return [c.id for c in missing]


def may_search(actor: Actor) -> bool:
    """Whether ACTOR searches cases as staff."""
    return actor.is_admin or bool(actor.groups & STAFF)


@dataclass(frozen=True)
class Hit:
    """One case found: the case, its applicant's facts and the task to open (or None)."""

    case: Case
    applicant_name: str | None
    task_id: str | None


@dataclass(frozen=True)
class Results:
    """One page of hits, and whether another page follows."""

    hits: list[Hit]
    page: int
    has_next: bool


def _query_problem(message: str) -> InvalidInput:
    return InvalidInput(message, [FieldError("q", message)])


def matches(text: str) -> ColumnElement[bool]:
    """What TEXT can mean: a case number or its tail, a credit code, a phone, a name."""
    number = text.upper()
    digits = re.sub(r"\D", "", text)
    options: list[ColumnElement[bool]] = []
    if _NUMBER.match(text):
        options.append(Case.number == number)
    if text.isascii() and text.isdigit() and len(text) >= MIN_DIGITS:
        options.append(Case.number.endswith(text, autoescape=True))
    if len(digits) >= 5 and re.fullmatch(r"[0-9+\- ()]+", text):
        options.append(CaseSearch.phone == digits)
    code = search_fields.normalise("credit_code", text)
    if _CODE.match(code):
        options.append(CaseSearch.credit_code == code)
    name = search_fields.normalise("applicant_name", text)
    if len(name) >= 2 or not name.isascii():
        options.append(CaseSearch.applicant_name.contains(name, autoescape=True))
    return or_(*options) if options else Case.id.is_(None)


def search(session: Session, actor: Actor, text: str, *, page: int = 1,
           limit: int = 20) -> Results:
    """The cases ACTOR may see that TEXT finds, newest first, one page of LIMIT."""
    if not may_search(actor):
        raise Forbidden(f"{actor.username} may not search cases (staff only)")
    text = text.strip()
    if not text:
        raise _query_problem("enter a case number, applicant name, credit code or phone")
    if len(text) > MAX_QUERY:
        raise _query_problem(f"the search text is longer than {MAX_QUERY} characters")
    if not 1 <= page <= MAX_PAGE or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("the page is out of range",
                           [FieldError("page", f"pages 1 to {MAX_PAGE}, {MAX_LIMIT} a page")])
    query = (select(Case, CaseSearch.applicant_name)
             .outerjoin(CaseSearch, CaseSearch.case_id == Case.id).where(matches(text)))
    visible = permissions.visible_cases(actor)
    if visible is not None:
        query = query.where(visible)
    rows = session.execute(query.order_by(Case.created_at.desc(), Case.id.desc())
                           .offset((page - 1) * limit).limit(limit + 1)).all()
    found = [(row[0], row[1]) for row in rows[:limit]]
    tasks = _tasks_to_open(session, actor, [c.id for c, _name in found])
    hits = [Hit(c, name, tasks.get(c.id)) for c, name in found]
    return Results(hits, page, len(rows) > limit)


def _tasks_to_open(session: Session, actor: Actor, case_ids: list[int]) -> dict[int, str]:
    """Per case, the task ACTOR opens from a hit: an open one first, then the newest."""
    if not case_ids:
        return {}
    query = select(WorkItem.case_id, WorkItem.id).where(WorkItem.case_id.in_(case_ids),
                                                        WorkItem.kind != "external")
    if not reads_everything(actor):
        query = query.where(or_(
            WorkItem.assignee == actor.username, WorkItem.completed_by == actor.username,
            and_(WorkItem.state == "open", WorkItem.assignee.is_(None),
                 task_access.candidate_filter(actor))))
    is_open = case((WorkItem.state == "open", 0), else_=1)
    out: dict[int, str] = {}
    for case_id, item_id in session.execute(
            query.order_by(WorkItem.case_id, is_open, WorkItem.created_at.desc())):
        out.setdefault(case_id, item_id)
    return out


def as_dict(hit: Hit) -> dict[str, Any]:
    """A hit as the API answers it."""
    started: datetime = hit.case.created_at
    return {"id": hit.case.id, "number": hit.case.number, "bundle": hit.case.bundle_key,
            "applicant_name": hit.applicant_name, "office": hit.case.office_code,
            "status": hit.case.status, "started_at": started.isoformat(),
            "task_id": hit.task_id}
