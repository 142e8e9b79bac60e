"""Timers through the job table, messages, signals, script errors and runaway loops."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.casework import cases
from engine.core import clock
from engine.core.db import unit_of_work
from engine.core.errors import Conflict, NotFound
from engine.jobs import messages
from engine.jobs.worker import Worker, run_until_idle
from tests.runtime.scenario import ADMIN, Scenario


@pytest.fixture
def sc(rt, db):
    return Scenario(rt, db)


def test_boundary_timer_fires_once_through_the_worker(sc):
    sc.deploy("timers.bpmn")
    cid = sc.start("timers")
    shown = sc.show(cid)
    timers = [w for w in shown["waiting_on"] if w["kind"] == "timer"]
    assert len(timers) == 1
    worker = Worker(sc.rt, sc.factory, name="w1")
    assert run_until_idle(worker) == 0  # not due yet
    assert sc.item(cid, "review")
    clock.advance(timedelta(hours=1, seconds=1))
    assert run_until_idle(worker) == 1
    assert [w.element_id for w in sc.open_items(cid)] == ["escalate"]
    assert run_until_idle(worker) == 0
    actions = [e["action"] for e in sc.trail(cid)]
    assert actions.count("timer.fired") == 1
    assert sc.complete(cid, "escalate").status == "completed"


def test_finishing_before_the_timer_removes_its_job(sc):
    sc.deploy("timers.bpmn")
    cid = sc.start("timers")
    sc.complete(cid, "review")
    assert sc.show(cid)["waiting_on"] == []
    clock.advance(timedelta(hours=2))
    assert run_until_idle(Worker(sc.rt, sc.factory)) == 0


def test_message_reaches_the_waiting_case(sc):
    sc.deploy("messages.bpmn")
    one = sc.start("payment", business_key="APP-1")
    two = sc.start("payment", business_key="APP-2")
    waits = sc.show(one)["waiting_on"]
    assert {"kind": "message", "name": "payment_received"}.items() <= waits[0].items()
    with unit_of_work(sc.factory) as s, pytest.raises(Conflict):
        messages.send_message(sc.rt, s, "payment_received", actor=ADMIN, payload={"x": 1})
    with unit_of_work(sc.factory) as s:
        done = messages.send_message(sc.rt, s, "payment_received", actor=ADMIN,
                                     business_key="APP-2", payload={"amount": 80})
        assert [c.id for c in done] == [two]
    assert sc.item(two, "issue")
    assert sc.open_items(one) == []
    with unit_of_work(sc.factory) as s, pytest.raises(NotFound):
        messages.send_message(sc.rt, s, "nobody_waits", actor=ADMIN)


def test_script_error_stops_only_that_case_and_can_be_retried(sc):
    sc.deploy("failing_script.bpmn")
    sc.deploy("approval.bpmn", "accept-schema.json", bundle="approval")
    bad = sc.start("failing", {})
    good = sc.start("approval", {"applicant": "A"})
    case = sc.case(bad)
    assert case.status == "error"
    assert case.error_element == "fee"
    assert "area" in case.error_message
    assert sc.case(good).status == "running"
    with unit_of_work(sc.factory) as s:
        fixed = cases.retry_case(sc.rt, s, bad, ADMIN, data={"area": 7})
        assert fixed.status == "running"
    assert sc.item(bad, "pay")
    with unit_of_work(sc.factory) as s:
        item = s.get(type(sc.item(bad, "pay")), sc.item(bad, "pay").id)
        assert item.input_data["fee"] == 21


def test_runaway_loop_is_stopped_with_a_clear_error(sc):
    sc.deploy("runaway.bpmn")
    case = sc.case(sc.start("runaway", {"n": 0}))
    assert case.status == "error"
    # stopped by the step budget, or (on a slow machine) by the command's deadline first
    assert "engine steps" in case.error_message or "command ran for more" in case.error_message
