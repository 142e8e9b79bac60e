"""Timers held to the floor: no cycle repeats, and no looping timer fires again, sooner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from engine.core import clock
from engine.core.errors import DiagramInvalid
from engine.jobs.worker import Worker, run_until_idle
from engine.runtime.engine import Engine
from tests.runtime.hostile_support import boundary_cycle, flow, node, process, script, timer, within
from tests.runtime.scenario import Scenario

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def sc(rt: Engine, db: Any) -> Scenario:
    return Scenario(rt, db)


def _timers(sc: Scenario, cid: int) -> list[datetime]:
    return sorted(datetime.fromisoformat(w["due_at"]) for w in sc.show(cid)["waiting_on"]
                  if w["kind"] == "timer")


def _run_timers(sc: Scenario) -> int:
    return run_until_idle(Worker(sc.rt, sc.factory, name="floor"))


@pytest.mark.parametrize("cycle", ['"R/PT0S"', '"R5/PT10S"', "'R/PT0.5S'",
                                   '"R3/2030-01-01T00:00:00+00:00/PT1S"', '"R/P1000000000Y"'])
def test_a_literal_cycle_faster_than_the_floor_is_refused_at_deploy(
        sc: Scenario, cycle: str) -> None:
    with pytest.raises(DiagramInvalid) as caught:
        sc.deploy_files({"c.bpmn": boundary_cycle("cyc", cycle)})
    [problem] = caught.value.problems
    assert problem.element == "tick"
    assert "floor" in problem.message or "years" in problem.message


@pytest.mark.parametrize("cycle", ['"R/PT1M"', '"R2/PT1H"', "'R/P1D'", "cycle_spec"])
def test_cycles_at_or_above_the_floor_and_computed_ones_deploy(sc: Scenario, cycle: str) -> None:
    sc.deploy_files({"c.bpmn": boundary_cycle("cyc", cycle)})


def test_a_computed_zero_cycle_stops_its_case_at_once(sc: Scenario) -> None:
    sc.deploy_files({"c.bpmn": boundary_cycle("cyc", '"R/PT" + str(0) + "S"')})
    cid, elapsed = within(30, lambda: sc.start("cyc"))
    case = sc.case(cid)
    assert (case.status, case.error_element) == ("error", "tick")
    assert "repeats every 0 s, more often than the floor of 60 s" in (case.error_message or "")
    assert case.task_count < 50
    assert _timers(sc, cid) == []
    assert elapsed < 10


def test_a_computed_endless_duration_stops_its_case(sc: Scenario) -> None:
    body = (node("startEvent", "start", [], ["f0"])
            + node("intermediateCatchEvent", "wait", ["f0"], ["f1"],
                   timer("timeDuration", '"P" + "9" * 12 + "Y"'))
            + node("endEvent", "end", ["f1"], [])
            + flow("f0", "start", "wait") + flow("f1", "wait", "end"))
    sc.deploy_files({"d.bpmn": process("long_wait", body)})
    cid, _ = within(30, lambda: sc.start("long_wait"))
    case = sc.case(cid)
    assert (case.status, case.error_element) == ("error", "wait")
    assert "longer than 1000 years" in (case.error_message or "")


def test_a_timer_the_case_loops_through_fires_again_no_sooner_than_the_floor(
        sc: Scenario) -> None:
    body = (node("startEvent", "start", [], ["f0"]) + script("init", "f0", "f1", "rounds = 0")
            + node("exclusiveGateway", "merge", ["f1", "f_again"], ["f2"])
            + node("intermediateCatchEvent", "wait", ["f2"], ["f3"],
                   timer("timeDuration", '"PT0S"'))
            + script("count", "f3", "f4", "rounds = rounds + 1")
            + node("exclusiveGateway", "more", ["f4"], ["f_again", "f_done"],
                   attrs='default="f_done"')
            + node("endEvent", "end", ["f_done"], [])
            + flow("f0", "start", "init") + flow("f1", "init", "merge")
            + flow("f2", "merge", "wait") + flow("f3", "wait", "count")
            + flow("f4", "count", "more") + flow("f_again", "more", "merge", "rounds < 3")
            + flow("f_done", "more", "end"))
    clock.freeze(T0)
    sc.deploy_files({"loop.bpmn": process("timer_loop", body)})
    cid = sc.start("timer_loop")
    # the first wait keeps the model's value
    assert _timers(sc, cid) == [T0]
    clock.advance(timedelta(seconds=1))
    assert _run_timers(sc) == 1
    # reached again: it waits the floor, so the loop cannot spin
    assert _timers(sc, cid) == [T0 + timedelta(seconds=61)]
    clock.advance(timedelta(seconds=61))
    assert _run_timers(sc) == 1
    clock.advance(timedelta(seconds=61))
    assert _run_timers(sc) == 1
    assert sc.case(cid).status == "completed"


def test_a_case_fires_a_bounded_number_of_timer_events_per_command(sc: Scenario) -> None:
    clock.freeze(T0)
    sc.deploy_files({"c.bpmn": boundary_cycle("cyc", '"R/PT1M"')})
    cid = sc.start("cyc")
    assert _timers(sc, cid) == [T0 + timedelta(minutes=1)]
    # the worker was down for five hours: 300 repetitions are due at once
    clock.advance(timedelta(hours=5))
    within(60, lambda: _run_timers(sc))
    case = sc.case(cid)
    assert (case.status, case.error_element) == ("error", "tick")
    assert "above the limit of 100" in (case.error_message or "")
    assert case.task_count < 400
