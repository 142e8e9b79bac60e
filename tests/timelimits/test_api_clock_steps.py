"""Clocks of a small diagram of our own: steps marked clock = excluded, and an instant item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from engine.core import clock
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.design.deployments import read_paths
from engine.jobs.worker import Worker, run_until_idle
from engine.models import AuditEvent
from engine.timelimits import clocks
from tests.runtime.scenario import Scenario
from tests.timelimits.conftest import at

BUNDLE = Path(__file__).resolve().parent / "data" / "inspection"
CLERK = Actor("clerk", frozenset({"window_clerk"}))
REVIEWER = Actor("rev", frozenset({"reviewer"}))


class InspectionScenario(Scenario):
    """Cases of the 'inspection' test bundle, accepted on a frozen clock."""

    def accepted(self, when: Any, *, on_site: bool) -> int:
        clock.freeze(when)
        cid = self.start("inspection", {"answers": {"on_site": on_site}})
        self.complete(cid, "accept", {"outcome": "accept"}, actor=CLERK)
        return cid

    def clock(self, case_id: int) -> dict[str, Any]:
        with unit_of_work(self.factory) as s:
            shown = clocks.case_clock(s, case_id)
        assert shown is not None
        return shown

    def items(self, case_id: int) -> dict[str, dict[str, Any]]:
        return {c["scope"]: c for c in self.clock(case_id)["items"]}

    def work(self, case_id: int, element: str, when: Any) -> None:
        clock.freeze(when)
        self.complete(case_id, element, {}, actor=REVIEWER)


@pytest.fixture
def sc(rt, db, frozen, shipped_calendar) -> InspectionScenario:
    scenario = InspectionScenario(rt, db)
    scenario.deploy_files(read_paths([BUNDLE]), bundle="inspection")
    return scenario


def test_excluded_steps_pause_the_clock_and_it_resumes(sc):
    cid = sc.accepted(at(2026, 3, 2, 9), on_site=True)  # Monday
    shown = sc.clock(cid)
    # on-site inspection (spiffworkflow:property clock=excluded) opened with the acceptance
    assert shown["paused"] and shown["paused_reasons"] == ["site_visit"]
    assert shown["due"] == at(2026, 3, 6, 17, 30).isoformat()  # 4 working days
    sc.work(cid, "site_visit", at(2026, 3, 4, 10))  # Tue and Wed spent inspecting
    shown = sc.clock(cid)
    assert not shown["paused"] and shown["paused_days"] == 2
    assert shown["due"] == at(2026, 3, 10, 17, 30).isoformat()
    sc.work(cid, "prepare", at(2026, 3, 5, 10))
    shown = sc.clock(cid)
    # the hearing is marked with camunda:property clock=Excluded
    assert shown["paused"] and shown["paused_reasons"] == ["hearing"]
    sc.work(cid, "hearing", at(2026, 3, 6, 10))
    shown = sc.clock(cid)
    assert not shown["paused"] and shown["paused_days"] == 3
    assert shown["due"] == at(2026, 3, 11, 17, 30).isoformat()
    sc.work(cid, "decide", at(2026, 3, 6, 11))
    shown = sc.clock(cid)
    assert shown["finished"] and shown["on_time"] and shown["used"] == 1
    with unit_of_work(sc.factory) as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).where(
            AuditEvent.case_id == cid, AuditEvent.action.in_(("clock.paused", "clock.resumed")),
            AuditEvent.after["scope"].as_string() == "case").order_by(AuditEvent.id))]
    assert actions == ["clock.paused", "clock.resumed", "clock.paused", "clock.resumed"]


def test_a_step_without_the_mark_does_not_pause(sc):
    cid = sc.accepted(at(2026, 3, 2, 9), on_site=False)
    assert sc.open_items(cid)[0].element_id == "prepare"
    shown = sc.clock(cid)
    assert not shown["paused"] and shown["paused_days"] == 0
    assert shown["due"] == at(2026, 3, 6, 17, 30).isoformat()


def test_an_instant_item_counts_office_hours(sc):
    cid = sc.accepted(at(2026, 3, 2, 9), on_site=False)
    items = sc.items(cid)
    instant, days = items["IN-002"], items["IN-001"]
    assert (instant["unit"], instant["committed"]) == ("hours", 2)
    assert instant["due"] == at(2026, 3, 2, 11).isoformat()
    assert days["unit"] == "days" and days["due"] == at(2026, 3, 5, 17, 30).isoformat()
    worker = Worker(sc.rt, sc.factory, name="instant")
    clock.freeze(at(2026, 3, 2, 10, 45))  # 1h45 of 2h used: yellow
    run_until_idle(worker)
    assert sc.items(cid)["IN-002"]["level"] == "yellow"
    clock.freeze(at(2026, 3, 2, 11, 30))  # past due: red, the rest still normal
    run_until_idle(worker)
    items = sc.items(cid)
    assert items["IN-002"]["level"] == "red"
    assert items["IN-001"]["level"] == "normal" and sc.clock(cid)["level"] == "normal"
