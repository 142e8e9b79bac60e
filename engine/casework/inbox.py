"""The clerk's inbox: tabs (mine, my groups, watched), filters, counts and keyset paging.

Which work a clerk sees follows engine.casework.task_access, the one rule of who may see and work
on a task (office-scoped roles, work of the accepting office).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from engine.casework import task_access, work_items
from engine.core import clock
from engine.core.actors import Actor
from engine.core.errors import FieldError, InvalidInput
from engine.models import Case, Watch, WorkItem

TABS = ("mine", "group", "watched")
SORTS = ("due", "created")
# the kinds of work a person does (external tasks are fetched by workers)
PERSON_KINDS = ("user", "manual", "cooperation")
MAX_LIMIT = 200


@dataclass(frozen=True)
class Filters:
    """Narrow an inbox tab: by bundle, accepting office, due date or overdue now."""

    bundle: str | None = None
    office: str | None = None
    due_before: datetime | None = None
    overdue: bool = False


@dataclass(frozen=True)
class Cursor:
    """Where the previous page ended: the sort key (None once past the undated) and id."""

    key: datetime | None
    id: str

    def encode(self) -> str:
        """An opaque, URL-safe token for the next page."""
        raw = json.dumps([self.key.isoformat() if self.key else None, self.id])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """Read a token made by encode(); anything else is InvalidInput."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            key, item_id = json.loads(raw)
            when = datetime.fromisoformat(key) if key is not None else None
            if not isinstance(item_id, str) or (when is not None and when.tzinfo is None):
                raise ValueError(item_id)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as err:
            raise InvalidInput("the paging cursor is not one this server gave out",
                               [FieldError("after", "use next_cursor of the previous page")]
                               ) from err
        return cls(when, item_id)


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
        return and_(WorkItem.assignee.is_(None), task_access.candidate_filter(actor))
    if tab == "watched":
        return WorkItem.case_id.in_(select(Watch.case_id).where(Watch.username == actor.username))
    raise InvalidInput(f"unknown inbox tab '{tab}'",
                       [FieldError("tab", f"one of {', '.join(TABS)}")])


def _base(actor: Actor, tab: str, filters: Filters) -> Select[Any]:
    query = (select(WorkItem).join(Case, Case.id == WorkItem.case_id)
             .where(WorkItem.state == "open", WorkItem.kind.in_(PERSON_KINDS),
                    tab_condition(actor, tab)))
    if filters.bundle:
        query = query.where(Case.bundle_key == filters.bundle)
    if filters.office:
        query = query.where(Case.office_code == filters.office)
    if filters.due_before is not None:
        query = query.where(WorkItem.due_at < filters.due_before)
    if filters.overdue:
        query = query.where(WorkItem.due_at < clock.now())
    return query


def page(session: Session, actor: Actor, tab: str = "mine", *, filters: Filters | None = None,
         sort: str = "due", after: Cursor | None = None, limit: int = 50) -> Page:
    """One page of ACTOR's TAB, sorted by due time (undated last) or by creation, then id.

    Paging is by key, not offset: the next page starts after the last row's (key, id),
    so a deep page costs what the first does and rows never repeat or go missing when
    work arrives meanwhile.
    """
    if sort not in SORTS:
        raise InvalidInput(f"unknown sort '{sort}'", [FieldError("sort", "due or created")])
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("the page size is out of range",
                           [FieldError("limit", f"must be 1 to {MAX_LIMIT}")])
    base = _base(actor, tab, filters or Filters())
    column = WorkItem.due_at if sort == "due" else WorkItem.created_at
    rows: list[WorkItem] = []
    if after is None or after.key is not None:
        dated = base.where(column.is_not(None))
        if after is not None:
            dated = dated.where(tuple_(column, WorkItem.id) > tuple_(after.key, after.id))
        rows = list(session.scalars(dated.order_by(column, WorkItem.id).limit(limit + 1)))
    if sort == "due" and len(rows) <= limit:
        undated = base.where(column.is_(None))
        if after is not None and after.key is None:
            undated = undated.where(WorkItem.id > after.id)
        rows += session.scalars(undated.order_by(WorkItem.id).limit(limit + 1 - len(rows)))
    if len(rows) <= limit:
        return Page(rows, None)
    last = rows[limit - 1]
    key = last.due_at if sort == "due" else last.created_at
    return Page(rows[:limit], Cursor(key, last.id).encode())


def count(session: Session, actor: Actor, tab: str, filters: Filters | None = None) -> int:
    """How many open work items TAB holds for ACTOR under FILTERS."""
    query = _base(actor, tab, filters or Filters()).with_only_columns(func.count(WorkItem.id))
    return session.scalar(query.order_by(None)) or 0


def counts(session: Session, actor: Actor, filters: Filters | None = None) -> dict[str, int]:
    """The count of every tab, for the tab headers."""
    return {tab: count(session, actor, tab, filters) for tab in TABS}


def cases_of(session: Session, items: list[WorkItem]) -> dict[int, Case]:
    """The cases of ITEMS, read in one query."""
    ids = sorted({item.case_id for item in items})
    return {case.id: case for case in session.scalars(select(Case).where(Case.id.in_(ids)))}


def summary(item: WorkItem, case: Case) -> dict[str, Any]:
    """An inbox row: the task with the case facts a clerk sorts and filters by."""
    return {**work_items.as_dict(item), "case_number": case.number, "bundle": case.bundle_key,
            "office": case.office_code, "channel": case.channel, "case_title": case.title,
            "overdue": bool(item.due_at and item.due_at < clock.now())}
