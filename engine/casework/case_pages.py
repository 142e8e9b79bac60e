"""A case's work items and audit trail a page at a time, by keyset: a page costs the same
at the first entry and the ten-thousandth, and nothing else a case's reply holds grows
with its history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from engine.casework import cursors
from engine.casework.work_items import as_dict as work_item_dict
from engine.core import audit
from engine.models import AuditEvent, WorkItem

MAX_LIMIT = 500


@dataclass(frozen=True)
class Page:
    """Rows as the API shows them, and the token for the rows after them (None: the end)."""

    items: list[dict[str, Any]]
    next_cursor: str | None


def _page(rows: list[Any], limit: int, shown: Callable[[Any], dict[str, Any]],
          key: Callable[[Any], list[Any]]) -> Page:
    """LIMIT of ROWS (read LIMIT + 1 to know whether more follow) as a page."""
    more = len(rows) > limit
    rows = rows[:limit]
    return Page([shown(r) for r in rows], cursors.encode(key(rows[-1])) if more else None)


def work_items(session: Session, case_id: int, *, state: str | None = None,
               after: str | None = None, limit: int = 100) -> Page:
    """The case's work items, oldest first, STATE only if given, after the cursor AFTER."""
    query = select(WorkItem).where(WorkItem.case_id == case_id)
    if state is not None:
        query = query.where(WorkItem.state == state)
    if after is not None:
        created, item_id = cursors.decode(after, (2,))
        if not isinstance(item_id, str):
            raise cursors.bad_cursor()
        since = cursors.moment(created)
        query = query.where(or_(WorkItem.created_at > since,
                                and_(WorkItem.created_at == since, WorkItem.id > item_id)))
    rows = list(session.scalars(query.order_by(WorkItem.created_at, WorkItem.id)
                                .limit(limit + 1)))
    return _page(rows, limit, work_item_dict, lambda w: [w.created_at, w.id])


def trail(session: Session, case_id: int, *, after: str | None = None, limit: int = 100,
          newest_first: bool = False) -> Page:
    """The case's audit entries after the cursor AFTER, oldest first (or NEWEST_FIRST)."""
    query = select(AuditEvent).where(AuditEvent.case_id == case_id)
    if after is not None:
        [last] = cursors.decode(after, (1,))
        if type(last) is not int:
            raise cursors.bad_cursor()
        query = query.where(AuditEvent.id < last if newest_first else AuditEvent.id > last)
    order = AuditEvent.id.desc() if newest_first else AuditEvent.id
    rows = list(session.scalars(query.order_by(order).limit(limit + 1)))
    return _page(rows, limit, audit.as_dict, lambda e: [e.id])
