"""Shared driver for the BPMN feature tests (test_features_*.py); holds no tests itself.

Every feature test runs twice: "cached" keeps one Engine (live workflows come from its
cache), "fresh" builds a new Engine for every step, so each step reloads the case from
its database rows and re-parses the deployment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.casework import cases, completion
from engine.core.db import unit_of_work
from engine.jobs import messages
from engine.jobs.worker import Worker, run_until_idle
from engine.models import Job, WorkItem
from engine.runtime.engine import Engine
from tests.runtime.scenario import ADMIN, Scenario

FEATURES = Path(__file__).resolve().parents[1] / "data" / "features"
MODES = ["cached", "fresh"]


class FeatureScenario(Scenario):
    """A Scenario whose engine is either kept or rebuilt for every step."""

    def __init__(self, rt: Engine, factory: sessionmaker[Session], services: Any,
                 fresh: bool) -> None:
        self.fresh = fresh
        self.services = services
        self.engines = 0
        super().__init__(rt, factory)

    @property  # type: ignore[override]
    def rt(self) -> Engine:
        if self.fresh:
            self.engines += 1
            return Engine(services=self.services)
        return self._rt

    @rt.setter
    def rt(self, value: Engine) -> None:
        self._rt = value

    def deploy_features(self, *names: str, bundle: str | None = None) -> int:
        return self.deploy(*names, bundle=bundle, folder=FEATURES)

    def open_elements(self, case_id: int) -> list[str]:
        return sorted(w.element_id for w in self.open_items(case_id))

    def items_of(self, case_id: int, state: str | None = None) -> list[WorkItem]:
        with unit_of_work(self.factory) as s:
            query = select(WorkItem).where(WorkItem.case_id == case_id)
            if state:
                query = query.where(WorkItem.state == state)
            rows = list(s.scalars(query.order_by(WorkItem.created_at, WorkItem.element_id)))
            for r in rows:
                s.expunge(r)
            return rows

    def data_of(self, case_id: int, element: str) -> dict[str, Any]:
        """The task data an open work item was created with."""
        return dict(self.item(case_id, element).input_data)

    def complete_item(self, item_id: str, data: dict[str, Any] | None = None) -> str:
        """Complete one work item by id (for multi-instance siblings); return case status."""

        with unit_of_work(self.factory) as s:
            return completion.complete(self.rt, s, item_id, data or {}, ADMIN).status

    def worker(self) -> Worker:
        return Worker(self.rt, self.factory, name="features")

    def run_timers(self) -> int:
        return run_until_idle(self.worker())

    def send_message(self, name: str, **kw: Any) -> list[int]:
        with unit_of_work(self.factory) as s:
            return [c.id for c in messages.send_message(self.rt, s, name, actor=ADMIN, **kw)]

    def send_signal(self, name: str, payload: Any = None) -> list[int]:
        with unit_of_work(self.factory) as s:
            return [c.id for c in messages.send_signal(self.rt, s, name, actor=ADMIN,
                                                       payload=payload)]

    def cancel(self, case_id: int, reason: str = "") -> str:
        with unit_of_work(self.factory) as s:
            return cases.cancel_case(self.rt, s, case_id, ADMIN, reason=reason).status

    def jobs_of(self, case_id: int) -> list[Job]:
        with unit_of_work(self.factory) as s:
            rows = list(s.scalars(select(Job).where(Job.case_id == case_id)))
            for r in rows:
                s.expunge(r)
            return rows

    def actions(self, case_id: int) -> list[str]:
        return [e["action"] for e in self.trail(case_id)]


def make_scenario(mode: str, rt: Engine, db: sessionmaker[Session],
                  services: Any) -> FeatureScenario:
    return FeatureScenario(rt, db, services, fresh=mode == "fresh")
