"""The clerk's inbox: tabs (mine, my groups, watched), filters, counts and keyset paging,
sorted by due time, arrival, applicant, item, office or the case's clock level.

Which work a clerk sees follows engine.casework.task_access, the one rule of who may see and work
on a task (office-scoped roles, work of the accepting office).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, SQLColumnExpression, and_, case, func, select, tuple_
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement

from engine.casework import cursors, task_access, task_items, work_items
from engine.core import clock
from engine.core.actors import Actor
from engine.core.errors import FieldError, InvalidInput
from engine.models import Case, CaseSearch, CommitmentClock, Item, Office, Watch, WorkItem
from engine.models.clocks import CASE_SCOPE
from engine.runtime import work_keys

TABS = ("mine", "group", "watched")
SORTS = ("due", "created", "applicant", "item", "office", "clock")
# sort keys a row may lack (those rows come last); the others always have one
NULLABLE_SORTS = frozenset({"due", "applicant", "item", "office"})
# the clock levels, most urgent first (a case without a clock after every level)
LEVEL_RANK = {"red": 0, "yellow": 1, "normal": 2}
NO_CLOCK_RANK = 3
# the kinds of work a person does (external tasks are fetched by workers)
PERSON_KINDS = work_keys.PERSON_KINDS
MAX_LIMIT = 200


@dataclass(frozen=True)
class Filters:
    """Narrow an inbox tab: by bundle, accepting office, due date or overdue now."""

    bundle: str | None = None
    office: str | None = None
    due_before: datetime | None = None
    overdue: bool = False


SortKey = datetime | str | int | None


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended: the sort, its key (None once past the rows without
    one) and the id."""

    key: SortKey
    id: str
    # None: a token of the days when only due and created sorted (both keyed by time)
    sort: str | None = "due"

    def encode(self) -> str:
        """An opaque, URL-safe token for the next page."""
        return cursors.encode([self.key, self.id, self.sort])

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """Read a token made by encode(); anything else is InvalidInput."""
        key, item_id, sort = (cursors.decode(token, (2, 3)) + [None])[:3]
        if not isinstance(item_id, str) or (sort is not None and sort not in SORTS):
            raise cursors.bad_cursor()
        return cls(_key_of(sort, key), item_id, sort)


def _key_of(sort: str | None, key: Any) -> SortKey:
    """A cursor's key, checked against the type its sort compares (else InvalidInput)."""
    if key is None and (sort is None or sort in NULLABLE_SORTS):
        return None
    if sort == "clock" and isinstance(key, int) and not isinstance(key, bool):
        return key
    if sort in ("applicant", "item", "office") and isinstance(key, str):
        return key
    if sort in (None, "due", "created"):
        return cursors.moment(key)
    raise cursors.bad_cursor()


@dataclass
class Page:
    """One page of a tab, with the cursor of the next page (None on the last)."""

    items: list[WorkItem]
    next_cursor: str | None


def tab_condition(actor: Actor, tab: str) -> ColumnElement[bool]:
    """Which open work items belong on TAB for ACTOR."""
    if tab == "mine":
        return WorkItem.assignee == actor.username
    if tab == "group":
        if actor.is_admin:
            return WorkItem.assignee.is_(None)
        return and_(WorkItem.assignee.is_(None), task_access.claimable_filter(actor))
    if tab == "watched":
        return WorkItem.case_id.in_(select(Watch.case_id).where(Watch.username == actor.username))
    raise InvalidInput(f"unknown inbox tab '{tab}'",
                       [FieldError("tab", f"one of {', '.join(TABS)}")])


def _base(actor: Actor, tab: str, filters: Filters) -> Select[Any]:
    query = (select(WorkItem)
             .where(WorkItem.state == "open", WorkItem.kind.in_(PERSON_KINDS),
                    tab_condition(actor, tab)))
    # the case is read only for what it filters by: a tab of ten thousand rows would
    # otherwise look up ten thousand cases to count them
    if filters.bundle or filters.office:
        query = query.join(Case, Case.id == WorkItem.case_id)
    if filters.bundle:
        query = query.where(Case.bundle_key == filters.bundle)
    if filters.office:
        query = query.where(Case.office_code == filters.office)
    if filters.due_before is not None:
        query = query.where(WorkItem.due_at < filters.due_before)
    if filters.overdue:
        query = query.where(WorkItem.due_at < clock.now())
    return query


def item_code_of(item: WorkItem) -> str | None:
    """The one catalogue item ITEM decides, where it decides exactly one."""
    codes = task_items.item_codes(item.input_data or {})
    return codes[0] if len(codes) == 1 else None


def _sorted_by(query: Select[Any], sort: str) -> tuple[Select[Any], SQLColumnExpression[Any]]:
    """QUERY joined to what SORT orders by, and the key column (SQL) it orders on."""
    if sort == "due":
        return query, WorkItem.due_at
    if sort == "created":
        return query, WorkItem.created_at
    if sort == "applicant":
        return (query.outerjoin(CaseSearch, CaseSearch.case_id == WorkItem.case_id),
                CaseSearch.applicant_name)
    if sort == "item":
        # the item code a review task carries (task_items.ITEM_KEY), named by the catalogue
        code = WorkItem.input_data[task_items.ITEM_KEY].as_string()
        return query.outerjoin(Item, Item.code == code), Item.name_zh
    if sort == "office":
        office = aliased(Case)
        return (query.join(office, office.id == WorkItem.case_id)
                .outerjoin(Office, Office.code == office.office_code), Office.name_zh)
    if sort == "clock":
        joined = query.outerjoin(CommitmentClock, and_(CommitmentClock.case_id == WorkItem.case_id,
                                                       CommitmentClock.scope == CASE_SCOPE))
        rank = case(*((CommitmentClock.level == level, n) for level, n in LEVEL_RANK.items()),
                    else_=NO_CLOCK_RANK)
        return joined, rank
    raise InvalidInput(f"unknown sort '{sort}'",
                       [FieldError("sort", f"one of {', '.join(SORTS)}")])


def _row_key(session: Session, item: WorkItem, sort: str) -> SortKey:
    """The sort key of ITEM's row, as the page's query ordered it."""
    if sort == "due":
        return item.due_at
    if sort == "created":
        return item.created_at
    if sort == "applicant":
        return session.scalar(select(CaseSearch.applicant_name)
                              .where(CaseSearch.case_id == item.case_id))
    if sort == "item":
        code = (item.input_data or {}).get(task_items.ITEM_KEY)
        return session.scalar(select(Item.name_zh).where(Item.code == code)) \
            if isinstance(code, str) else None
    if sort == "office":
        return session.scalar(select(Office.name_zh).join(Case, Case.office_code == Office.code)
                              .where(Case.id == item.case_id))
    level = session.scalar(select(CommitmentClock.level).where(
        CommitmentClock.case_id == item.case_id, CommitmentClock.scope == CASE_SCOPE))
    return LEVEL_RANK.get(level, NO_CLOCK_RANK) if level else NO_CLOCK_RANK


def page(session: Session, actor: Actor, tab: str = "mine", *, filters: Filters | None = None,
         sort: str = "due", after: Cursor | None = None, limit: int = 50) -> Page:
    """One page of ACTOR's TAB, sorted by SORT (rows without a key last), then id.

    Paging is by key, not offset: the next page starts after the last row's (key, id),
    so a deep page costs what the first does and rows never repeat or go missing when
    work arrives meanwhile.
    """
    if sort not in SORTS:
        raise InvalidInput(f"unknown sort '{sort}'",
                           [FieldError("sort", f"one of {', '.join(SORTS)}")])
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("the page size is out of range",
                           [FieldError("limit", f"must be 1 to {MAX_LIMIT}")])
    if after is not None and after.sort != sort and not (
            after.sort is None and sort in ("due", "created")):
        raise cursors.bad_cursor()
    base, column = _sorted_by(_base(actor, tab, filters or Filters()), sort)
    rows: list[WorkItem] = []
    if after is None or after.key is not None:
        keyed = base.where(column.is_not(None)) if sort in NULLABLE_SORTS else base
        if after is not None:
            keyed = keyed.where(tuple_(column, WorkItem.id) > tuple_(after.key, after.id))
        rows = list(session.scalars(keyed.order_by(column, WorkItem.id).limit(limit + 1)))
    if sort in NULLABLE_SORTS and len(rows) <= limit:
        unkeyed = base.where(column.is_(None))
        if after is not None and after.key is None:
            unkeyed = unkeyed.where(WorkItem.id > after.id)
        rows += session.scalars(unkeyed.order_by(WorkItem.id).limit(limit + 1 - len(rows)))
    if len(rows) <= limit:
        return Page(rows, None)
    last = rows[limit - 1]
    return Page(rows[:limit], Cursor(_row_key(session, last, sort), last.id, sort).encode())


def count(session: Session, actor: Actor, tab: str, filters: Filters | None = None) -> int:
    """How many open work items TAB holds for ACTOR under FILTERS."""
    filters = filters or Filters()
    if tab == "group" and not actor.is_admin and filters == Filters():
        # the whole group tab is the caller's unheld claim keys: counted without the tasks
        return task_access.count_claimable(session, actor)
    query = _base(actor, tab, filters).with_only_columns(func.count(WorkItem.id))
    return session.scalar(query.order_by(None)) or 0


def counts(session: Session, actor: Actor, filters: Filters | None = None) -> dict[str, int]:
    """The count of every tab, for the tab headers."""
    return {tab: count(session, actor, tab, filters) for tab in TABS}


def cases_of(session: Session, items: list[WorkItem]) -> dict[int, Case]:
    """The cases of ITEMS, read in one query."""
    ids = sorted({item.case_id for item in items})
    return {case.id: case for case in session.scalars(select(Case).where(Case.id.in_(ids)))}


@dataclass(frozen=True)
class RowFacts:
    """What the inbox columns show beside the task, read for a whole page at once."""

    applicants: dict[int, str]
    levels: dict[int, str]
    items: dict[str, Item]


def facts_of(session: Session, items: list[WorkItem]) -> RowFacts:
    """The applicants and clock levels of ITEMS' cases and the catalogue items they decide,
    in three queries for the page (never one per row)."""
    ids = sorted({item.case_id for item in items})
    applicants = {row[0]: row[1] for row in session.execute(
        select(CaseSearch.case_id, CaseSearch.applicant_name)
        .where(CaseSearch.case_id.in_(ids), CaseSearch.applicant_name.is_not(None)))}
    levels = {row[0]: row[1] for row in session.execute(
        select(CommitmentClock.case_id, CommitmentClock.level)
        .where(CommitmentClock.case_id.in_(ids), CommitmentClock.scope == CASE_SCOPE))}
    codes = sorted({c for c in map(item_code_of, items) if c})
    known = {i.code: i for i in session.scalars(select(Item).where(Item.code.in_(codes)))}
    return RowFacts({k: v for k, v in applicants.items() if v}, levels, known)


def summary(item: WorkItem, case: Case, facts: RowFacts | None = None) -> dict[str, Any]:
    """An inbox row: the task with the case facts a clerk sorts and filters by."""
    code = item_code_of(item)
    found = facts.items.get(code) if facts is not None and code else None
    return {**work_items.as_dict(item), "case_number": case.number, "bundle": case.bundle_key,
            "office": case.office_code, "channel": case.channel, "case_title": case.title,
            "overdue": bool(item.due_at and item.due_at < clock.now()),
            "applicant_name": facts.applicants.get(case.id) if facts else None,
            "item_code": code,
            "item_name_zh": found.name_zh if found else None,
            "item_name_en": (found.name_en or found.name_zh) if found else None,
            "clock_level": facts.levels.get(case.id) if facts else None}
