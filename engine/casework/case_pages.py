"""A case's work items and audit trail a page at a time, by keyset: a page costs the same
at the first entry and the ten-thousandth, and nothing else a case's reply holds grows
with its history."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from engine.casework.work_items import as_dict as work_item_dict
from engine.core import audit
from engine.core.errors import FieldError, InvalidInput
from engine.models import AuditEvent, WorkItem

MAX_LIMIT = 500
WORK_ITEM_STATES = ("open", "completed", "cancelled")


@dataclass(frozen=True)
class Page:
    """Rows as the API shows them, and the token for the rows after them (None: the end)."""

    items: list[dict[str, Any]]
    next_cursor: str | None


def _encode(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _decode(token: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError) as err:
        raise _bad_cursor() from err


def _bad_cursor() -> InvalidInput:
    return InvalidInput("the paging cursor is not one this server gave out",
                        [FieldError("after", "use next_cursor of the previous page")])


def work_items(session: Session, case_id: int, *, state: str | None = None,
               after: str | None = None, limit: int = 100) -> Page:
    """The case's work items, oldest first, STATE only if given, after the cursor AFTER."""
    query = select(WorkItem).where(WorkItem.case_id == case_id)
    if state is not None:
        query = query.where(WorkItem.state == state)
    if after is not None:
        created, item_id = _work_item_key(_decode(after))
        query = query.where(or_(WorkItem.created_at > created,
                                and_(WorkItem.created_at == created, WorkItem.id > item_id)))
    rows = list(session.scalars(query.order_by(WorkItem.created_at, WorkItem.id)
                                .limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = (_encode([rows[-1].created_at.isoformat(), rows[-1].id])
              if more and rows else None)
    return Page([work_item_dict(w) for w in rows], cursor)


def _work_item_key(found: Any) -> tuple[datetime, str]:
    if (not isinstance(found, list) or len(found) != 2
            or not all(isinstance(part, str) for part in found)):
        raise _bad_cursor()
    try:
        return datetime.fromisoformat(found[0]), found[1]
    except ValueError as err:
        raise _bad_cursor() from err


def trail(session: Session, case_id: int, *, after: str | None = None, limit: int = 100,
          newest_first: bool = False) -> Page:
    """The case's audit entries after the cursor AFTER, oldest first (or NEWEST_FIRST)."""
    query = select(AuditEvent).where(AuditEvent.case_id == case_id)
    if after is not None:
        found = _decode(after)
        if not isinstance(found, list) or len(found) != 1 or type(found[0]) is not int:
            raise _bad_cursor()
        query = query.where(AuditEvent.id < found[0] if newest_first
                            else AuditEvent.id > found[0])
    order = AuditEvent.id.desc() if newest_first else AuditEvent.id
    rows = list(session.scalars(query.order_by(order).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page([audit.as_dict(e) for e in rows],
                _encode([rows[-1].id]) if more and rows else None)
