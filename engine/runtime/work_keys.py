"""The claim keys of open person tasks: who may take a task, written once when it opens so
that an inbox is an index lookup by the caller's own keys.

A task's keys follow task_access's rule (one place to read it): ``u:NAME`` for each
candidate user; ``g:NAME`` for each candidate group, matched by whoever holds that group as
it is; ``r:ROLE@OFFICE`` besides for a group that is a bare role, matched by those of the
role posted at the office that accepted the case (``r:ROLE@`` when no office did); and,
for a task nobody was named for, ``o:OFFICE`` (``o:`` when no office accepted the case).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from engine.models import Case, OpenWorkKey, WorkItem
from engine.models.offices import ROLES

PERSON_KINDS = ("user", "manual", "cooperation")
_KEYS: Table = OpenWorkKey.__table__  # type: ignore[assignment]
_DROP = delete(_KEYS).where(_KEYS.c.work_item_id.in_(bindparam("ids", expanding=True)))
_CLAIM = (update(_KEYS).where(_KEYS.c.work_item_id == bindparam("item_id"))
          .values(claimed=bindparam("held")))


def keys_of(users: Iterable[str], groups: Iterable[str], office: str | None) -> list[str]:
    """The keys of a task with candidate USERS and GROUPS on a case accepted at OFFICE."""
    users, groups = sorted(set(users)), sorted(set(groups))
    where = office or ""
    if not users and not groups:
        return [f"o:{where}"]
    out = [f"u:{u}" for u in users] + [f"g:{g}" for g in groups]
    return out + [f"r:{g}@{where}" for g in groups if g in ROLES]


def _rows(item: WorkItem, office: str | None) -> list[dict[str, Any]]:
    if item.kind not in PERSON_KINDS:
        return []
    return [{"key": key, "work_item_id": item.id, "case_id": item.case_id,
             "claimed": item.assignee is not None}
            for key in keys_of(item.candidate_names("user"), item.candidate_names("group"),
                               office)]


def opened(session: Session, case: Case, items: Iterable[WorkItem]) -> None:
    """Write the keys of ITEMS of CASE, just opened (a task opened again has its old keys
    dropped by closed() first)."""
    rows = [row for item in items for row in _rows(item, case.office_code)]
    if rows:
        session.connection().execute(_KEYS.insert(), rows)


def claimed(session: Session, item_id: str, held: bool) -> None:
    """Mark the keys of an open task as held by someone (claimed, delegated) or not."""
    session.connection().execute(_CLAIM, {"item_id": item_id, "held": held})


def closed(session: Session, item_ids: Iterable[str]) -> None:
    """Drop the keys of work items no longer open."""
    ids = sorted(set(item_ids))
    if ids:
        session.connection().execute(_DROP, {"ids": ids})


def drifted(session: Session) -> list[str]:
    """The work items whose stored keys are not the ones their state, candidates and case
    say (a check for tests and repairs: it reads every open task)."""
    offices = {row[0]: row[1] for row in session.execute(select(Case.id, Case.office_code))}
    items = session.scalars(select(WorkItem).where(WorkItem.state == "open"))
    expected = {(row["key"], row["work_item_id"], row["claimed"])
                for item in items for row in _rows(item, offices.get(item.case_id))}
    stored = {(row[0], row[1], bool(row[2])) for row in session.execute(
        select(OpenWorkKey.key, OpenWorkKey.work_item_id, OpenWorkKey.claimed))}
    return sorted({item_id for _key, item_id, _held in expected ^ stored})
