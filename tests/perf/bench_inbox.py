"""Inbox benchmark: python -m tests.perf.bench_inbox [SIZES...]

Fills a fresh SQLite file (or a PostgreSQL schema when TEST_DATABASE_URL is set) with
1,000 and 100,000 open work items spread over 20 branch offices and 10 departments, then
times, for a window clerk of one branch and a reviewer of one department: the first page
of each tab, the 20th page reached by following the keyset cursor, and the three tab
counts. The same queries on the two sizes show whether paging stays flat as the inbox
grows. Last, the whole "my groups" read GET /inbox makes (the page, its rows' facts and
every tab's count), median and p95, beside the same read filtered by the candidate rows
as before open tasks had claim keys. Nothing here asserts a time.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, text

from engine.casework import inbox, task_access
from engine.core.actors import Actor
from engine.core.db import make_engine, make_session_factory, unit_of_work
from engine.models import Base, Candidate, Case, Deployment, OpenWorkKey, WorkItem
from engine.runtime import work_keys

BRANCHES = [f"branch_{i:02d}" for i in range(20)]
DEPARTMENTS = [f"dept_{i:02d}" for i in range(10)]
CLERK = Actor("clerk_00", frozenset({"window_clerk", "office:branch_00",
                                     "window_clerk@branch_00"}))
REVIEWER = Actor("rev_03", frozenset({"reviewer", "office:dept_03", "reviewer@dept_03"}))
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
PAGE = 50
DEEP = 20


def fill(db: Engine, size: int) -> None:
    """SIZE open work items: half acceptance work of a branch, half department reviews."""
    with db.begin() as conn:
        conn.execute(insert(Deployment), [{
            "id": 1, "bundle_key": "restaurant", "version": 1, "content_hash": "x" * 64,
            "flavour": "spiff", "main_process_id": "restaurant", "process_ids": ["restaurant"],
            "created_at": START, "created_by": "bench"}])
        cases: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        candidates: list[dict[str, Any]] = []
        keys: list[dict[str, Any]] = []
        for n in range(1, size + 1):
            created = START + timedelta(minutes=n)
            office = BRANCHES[n % len(BRANCHES)]
            cases.append({"id": n, "number": f"LL-2026-{n:06d}", "deployment_id": 1,
                          "process_id": "restaurant", "bundle_key": "restaurant",
                          "title": "bench", "office_code": office, "channel": "window",
                          "status": "running", "version": 1, "started_by": "bench",
                          "created_at": created, "updated_at": created,
                          "workflow_state": "{}", "task_count": 1})
            item_id = str(uuid.UUID(int=n))
            accepting = n % 2 == 0
            group = "window_clerk" if accepting else f"reviewer@{DEPARTMENTS[n % 10]}"
            # every 7th piece of work is already claimed by someone of the group
            assignee = None if n % 7 else (CLERK.username if accepting and office == "branch_00"
                                           else f"someone_{n % 13}")
            items.append({"id": item_id, "case_id": n, "kind": "user",
                          "element_id": "accept" if accepting else "review",
                          "process_id": "restaurant", "title": "task", "state": "open",
                          "assignee": assignee, "created_at": created,
                          "due_at": None if n % 11 == 0 else created + timedelta(days=n % 9),
                          "properties": {}, "input_data": {}})
            candidates.append({"work_item_id": item_id, "case_id": n, "kind": "group",
                               "name": group})
            keys += [{"key": key, "work_item_id": item_id, "case_id": n,
                      "claimed": assignee is not None}
                     for key in work_keys.keys_of([], [group], office)]
        for rows, model in ((cases, Case), (items, WorkItem), (candidates, Candidate),
                            (keys, OpenWorkKey)):
            for start in range(0, len(rows), 5000):
                conn.execute(insert(model), rows[start:start + 5000])
        conn.execute(text("ANALYZE"))


def timed(run: Callable[[], Any], repeat: int = 5) -> float:
    """The median milliseconds of RUN."""
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def measure(db: Engine, who: Actor, tab: str, sort: str) -> tuple[float, float, int]:
    """First page and the DEEP-th page (by cursor) of TAB, in ms, and the rows seen."""
    factory = make_session_factory(db)

    def first() -> Any:
        with unit_of_work(factory, read_only=True) as s:
            return inbox.page(s, who, tab, sort=sort, limit=PAGE)

    cursor: inbox.Cursor | None = None
    seen = 0
    with unit_of_work(factory, read_only=True) as s:
        for _ in range(DEEP - 1):
            page = inbox.page(s, who, tab, sort=sort, after=cursor, limit=PAGE)
            seen += len(page.items)
            if page.next_cursor is None:
                break
            cursor = inbox.Cursor.decode(page.next_cursor)
    deep_cursor = cursor

    def deep() -> Any:
        with unit_of_work(factory, read_only=True) as s:
            return inbox.page(s, who, tab, sort=sort, after=deep_cursor, limit=PAGE)

    return timed(first), timed(deep), seen


@contextmanager
def by_candidate_rows() -> Iterator[None]:
    """The baseline: the group tab filtered and counted by the candidate rows and the cases'
    offices (task_access.candidate_filter), as before open tasks had claim keys."""
    keyed, counted = task_access.claimable_filter, inbox.count

    def by_rows(session: Any, who: Actor, tab: str, filters: Any = None) -> int:
        query = inbox._base(who, tab, filters or inbox.Filters())
        return session.scalar(query.with_only_columns(func.count(WorkItem.id))
                              .order_by(None)) or 0

    task_access.claimable_filter = task_access.candidate_filter  # type: ignore[assignment]
    inbox.count = by_rows  # type: ignore[assignment]
    try:
        yield
    finally:
        task_access.claimable_filter = keyed  # type: ignore[assignment]
        inbox.count = counted  # type: ignore[assignment]


def whole_read(db: Engine, who: Actor, repeat: int = 40) -> tuple[float, float]:
    """The 'my groups' inbox as GET /inbox reads it (first page, its rows' cases and
    facts, every tab's count): median and p95 ms."""
    factory = make_session_factory(db)
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        with unit_of_work(factory, read_only=True) as s:
            page = inbox.page(s, who, "group", limit=PAGE)
            owners = inbox.cases_of(s, page.items)
            facts = inbox.facts_of(s, page.items)
            [inbox.summary(w, owners[w.case_id], facts) for w in page.items]
            inbox.counts(s, who)
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def count_ms(db: Engine, who: Actor) -> tuple[float, dict[str, int]]:
    factory = make_session_factory(db)
    found: dict[str, int] = {}

    def run() -> None:
        with unit_of_work(factory, read_only=True) as s:
            found.update(inbox.counts(s, who))

    return timed(run), found


def database(folder: Path, size: int) -> tuple[Engine, Callable[[], None]]:
    """A fresh database for SIZE items and how to drop it."""
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        db = make_engine(f"sqlite:///{folder / f'inbox_{size}.db'}")
        Base.metadata.create_all(db)
        return db, db.dispose
    schema = f"bench_inbox_{uuid.uuid4().hex[:8]}"
    admin = make_engine(pg)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in pg else "?"
    db = make_engine(f"{pg}{sep}options=-csearch_path%3D{schema}")
    Base.metadata.create_all(db)

    def drop() -> None:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return db, drop


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        print(f"inbox benchmark, page size {PAGE}, deep page = page {DEEP}; median ms")
        print(f"{'open items':>10} {'who':<9} {'tab':<6} {'sort':<8} {'first':>8} "
              f"{'deep':>8} {'rows':>6}")
        for size in sizes:
            db, drop = database(Path(folder), size)
            began = time.perf_counter()
            fill(db, size)
            print(f"-- {size:,} open work items filled in {time.perf_counter() - began:.1f}s")
            for who in (CLERK, REVIEWER):
                for tab, sort in (("group", "due"), ("group", "created"), ("mine", "due")):
                    first, deep, seen = measure(db, who, tab, sort)
                    print(f"{size:>10,} {who.username:<9} {tab:<6} {sort:<8} {first:>8.2f} "
                          f"{deep:>8.2f} {seen:>6}")
                ms, found = count_ms(db, who)
                print(f"{size:>10,} {who.username:<9} counts {ms:>17.2f}   {found}")
                median, p95 = whole_read(db, who)
                with by_candidate_rows():
                    was_median, was_p95 = whole_read(db, who)
                print(f"{size:>10,} {who.username:<9} whole 'my groups' read: median "
                      f"{median:.2f}, p95 {p95:.2f} | by candidate rows (no claim keys): "
                      f"median {was_median:.2f}, p95 {was_p95:.2f}")
            drop()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 100_000])
