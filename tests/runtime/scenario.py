"""A small driver for engine tests: each call is one unit of work, like a request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.casework import case_pages, cases, completion
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.design import deployments
from engine.models import Case, WorkItem
from engine.runtime.engine import Engine

DATA = Path(__file__).resolve().parents[1] / "data"
ADMIN = Actor("admin", frozenset({"admin"}), is_admin=True)
CLERK = Actor("clerk", frozenset({"window_clerk"}))
REVIEWER = Actor("rev", frozenset({"reviewer"}))


class Scenario:
    """Deploy, start and work cases through the engine API, one transaction per call."""

    def __init__(self, rt: Engine, factory: sessionmaker[Session]) -> None:
        self.rt = rt
        self.factory = factory

    def deploy(self, *names: str, bundle: str | None = None, folder: Path = DATA) -> int:
        files = {n: (folder / n).read_bytes() for n in names}
        return self.deploy_files(files, bundle=bundle)

    def deploy_files(self, files: dict[str, bytes], bundle: str | None = None) -> int:
        with unit_of_work(self.factory) as s:
            return deployments.deploy(s, files, actor=ADMIN, bundle_key=bundle).deployment.id

    def start(self, key: str, data: dict[str, Any] | None = None, actor: Actor = ADMIN,
              **kw: Any) -> int:
        with unit_of_work(self.factory) as s:
            return cases.start_case(self.rt, s, key, data or {}, actor=actor, **kw).id

    def case(self, case_id: int) -> Case:
        with unit_of_work(self.factory) as s:
            case = s.get(Case, case_id)
            assert case is not None
            s.expunge(case)
            return case

    def show(self, case_id: int) -> dict[str, Any]:
        with unit_of_work(self.factory) as s:
            return cases.as_dict(s, cases.get_case(s, case_id), full=True)

    def trail(self, case_id: int) -> list[dict[str, Any]]:
        """The case's whole audit trail, oldest first, read a page at a time."""
        return _every_page(self.factory, case_pages.trail, case_id)

    def work_items(self, case_id: int) -> list[dict[str, Any]]:
        """Every work item the case had, oldest first, read a page at a time."""
        return _every_page(self.factory, case_pages.work_items, case_id)

    def open_items(self, case_id: int) -> list[WorkItem]:
        with unit_of_work(self.factory) as s:
            rows = s.scalars(select(WorkItem).where(WorkItem.case_id == case_id,
                                                    WorkItem.state == "open")
                             .order_by(WorkItem.element_id)).all()
            for r in rows:
                s.expunge(r)
            return list(rows)

    def item(self, case_id: int, element: str) -> WorkItem:
        found = [w for w in self.open_items(case_id) if w.element_id == element]
        assert found, f"no open work item {element}; open: " \
                      f"{[w.element_id for w in self.open_items(case_id)]}"
        return found[0]

    def complete(self, case_id: int, element: str, data: dict[str, Any] | None = None,
                 actor: Actor = ADMIN) -> Case:
        item = self.item(case_id, element)
        with unit_of_work(self.factory) as s:
            case = completion.complete(self.rt, s, item.id, data or {}, actor)
            s.expunge(case)
            return case


def _every_page(factory: sessionmaker[Session], read: Any, case_id: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after = None
    while True:
        with unit_of_work(factory) as s:
            page = read(s, case_id, after=after, limit=50)
        out += page.items
        if page.next_cursor is None:
            return out
        after = page.next_cursor
