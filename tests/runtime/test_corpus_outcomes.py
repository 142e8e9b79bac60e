"""Run-time outcomes of the shared BPMN corpus (../shared/corpus/SOURCES.md) on a real database.

Load-stage outcomes (rejected files) are in tests/runtime/diagrams/test_corpus.py. Here every file
that should run is driven through the engine API to its end, the waiting ones show what
they wait on and move on once the clock or an external worker lets them, and the contained
ones stop with a clear error on their own case while other cases carry on.

Each drive runs twice: with one engine (its spec and workflow caches warm) and with a fresh
engine for every command, so every step is loaded from the stored rows.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session, sessionmaker

from engine.casework import cases
from engine.core import clock
from engine.core.db import unit_of_work
from engine.jobs import external, messages
from engine.jobs.worker import Worker, run_until_idle
from engine.models import Case
from engine.runtime.case_runner import open_live
from engine.runtime.diagrams import compile_bundle
from engine.runtime.engine import Engine
from tests.runtime.corpus_data import (
    CONTAINED,
    PARKING_PATH,
    PARKING_TOPIC_ANSWERS,
    RUNS,
)
from tests.runtime.scenario import ADMIN, Scenario

# a person never completes more work items than this in one corpus case
MAX_STEPS = 40
MODES = ["one-engine", "fresh-engine-every-step"]


class Driver:
    """Scenario access through one engine, or through a new engine for every command."""

    def __init__(self, rt: Engine, db: sessionmaker[Session], services: Any, mode: str) -> None:
        self.rt, self.db, self.services = rt, db, services
        self.fresh = mode == "fresh-engine-every-step"

    def engine(self) -> Engine:
        return Engine(services=self.services) if self.fresh else self.rt

    def sc(self) -> Scenario:
        return Scenario(self.engine(), self.db)

    def worker(self) -> Worker:
        return Worker(self.engine(), self.db, name="corpus-worker")

    def deploy(self, corpus: Path, name: str) -> str:
        """Deploy one corpus file alone as its own bundle; return the bundle key."""
        key = name.split(".")[0]
        self.sc().deploy_files({name: (corpus / name).read_bytes()}, bundle=key)
        return key

    def drive(self, cid: int, answers: dict[str, dict[str, Any]]) -> list[str]:
        """Complete whichever work item is open until the case stops running or waits on
        something else; return the elements completed, in order."""
        done: list[str] = []
        while True:
            sc = self.sc()
            if sc.case(cid).status != "running":
                return done
            people = [w for w in sc.open_items(cid) if w.kind != "external"]
            if not people:
                return done
            assert len(done) < MAX_STEPS, f"case {cid} still running after {done}"
            element = people[0].element_id
            sc.complete(cid, element, answers.get(element, {}))
            done.append(element)

    def workflow(self, cid: int) -> Any:
        """The case's workflow as a fresh engine loads it from the rows."""
        with unit_of_work(self.db) as s:
            case = s.get(Case, cid)
            assert case is not None
            return open_live(Engine(services=self.services), s, case).workflow


@pytest.fixture(params=MODES)
def drv(request: Any, rt: Engine, db: sessionmaker[Session], services: Any) -> Driver:
    return Driver(rt, db, services, request.param)


@pytest.fixture
def one(rt: Engine, db: sessionmaker[Session], services: Any) -> Driver:
    return Driver(rt, db, services, "one-engine")


def record_calls(services: Any, operators: tuple[str, ...]) -> list[tuple[str, dict[str, Any]]]:
    """Register a connector per operator that records its call; return the record."""
    calls: list[tuple[str, dict[str, Any]]] = []

    def connector(operator: str) -> Callable[..., Any]:
        def call(**params: Any) -> dict[str, Any]:
            calls.append((operator, params))
            return {"operator": operator, "ok": True}
        return call

    for operator in operators:
        services.register(operator, connector(operator))
    return calls


def failure(case: Case) -> str:
    return f"case is {case.status} at {case.error_element}: {case.error_message}"


def parse_time(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def timers_of(shown: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for w in shown["waiting_on"] if w["kind"] == "timer"]


def actions(sc: Scenario, case_id: int) -> list[str]:
    return [e["action"] for e in sc.trail(case_id)]


# --- runs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_runs_to_the_end(corpus: Path, drv: Driver, services: Any, run_id: str) -> None:
    run = RUNS[run_id]
    calls = record_calls(services, run.connectors)
    key = drv.deploy(corpus, run.file)
    cid = drv.sc().start(key, run.start)

    done = drv.drive(cid, run.answers)

    sc = drv.sc()
    case = sc.case(cid)
    assert case.status == "completed", failure(case)
    assert len(done) == run.steps, done
    for element in run.visits:
        assert element in done
    assert [op for op, _ in calls] == list(run.calls)
    shown = sc.show(cid)
    assert [w for w in shown["work_items"] if w["state"] == "open"] == []
    assert shown["waiting_on"] == []
    assert actions(sc, cid).count("task.completed") == run.steps
    assert actions(sc, cid)[-1] == "case.completed"


def test_service_task_goes_through_the_adapter_port(corpus: Path, one: Driver,
                                                    services: Any) -> None:
    calls = record_calls(services, ("bamboohr/GetPayRate", "weather/CurrentTemp"))
    cid = one.sc().start(one.deploy(corpus, "service_task.bpmn"))
    assert one.sc().case(cid).status == "completed"
    assert calls == [
        ("bamboohr/GetPayRate",
         {"api_key": "secret:BAMBOOHR_API_KEY", "employee_id": 4, "subdomain": "ServiceTask"}),
        ("weather/CurrentTemp", {"zipcode": 22980}),
    ]
    data = one.workflow(cid).data
    assert data["waynesboroWeatherResult"] == {"operator": "weather/CurrentTemp", "ok": True}


def test_message_interrupts_takes_the_interrupting_path(corpus: Path, drv: Driver) -> None:
    long_task = "sid-6FBBB56D-00CD-4C2B-9345-486986BB4992"
    acknowledge = "sid-D3365C47-2FAE-4D17-98F4-E68B345E18CE"
    cid = drv.sc().start(drv.deploy(corpus, "Message-Interrupts.bpmn20.xml"))
    shown = drv.sc().show(cid)
    assert [(w["kind"], w["name"]) for w in shown["waiting_on"]] == [("message", "Test Message")]
    assert [w.element_id for w in drv.sc().open_items(cid)] == [long_task]

    rt = drv.engine()
    with unit_of_work(drv.db) as s:
        delivered = messages.send_message(rt, s, "Test Message", actor=ADMIN)
        assert [c.id for c in delivered] == [cid]

    assert [w.element_id for w in drv.sc().open_items(cid)] == [acknowledge]
    states = {w["element"]: w["state"] for w in drv.sc().work_items(cid)}
    assert states[long_task] == "cancelled"
    assert drv.drive(cid, {}) == [acknowledge]
    case = drv.sc().case(cid)
    assert case.status == "completed", failure(case)
    assert drv.sc().show(cid)["waiting_on"] == []


# --- timers -------------------------------------------------------------------------------


def test_boundary_timer_path_is_taken_once_the_clock_passes_it(corpus: Path,
                                                               drv: Driver) -> None:
    t0 = clock.now()
    clock.freeze(t0)
    cid = drv.sc().start(drv.deploy(corpus, "boundary_timer_on_task.bpmn"))
    timers = timers_of(drv.sc().show(cid))
    assert len(timers) == 1
    assert t0 < parse_time(timers[0]["due_at"]) <= t0 + timedelta(seconds=1)
    assert run_until_idle(drv.worker()) == 0  # the clock stands still: not due yet

    clock.advance(timedelta(seconds=1))
    assert run_until_idle(drv.worker()) == 1
    fired = [e for e in drv.sc().trail(cid) if e["action"] == "timer.fired"]
    assert [e["element_id"] for e in fired] == ["Event_0y4hbl0"]
    # non-interrupting: the timer path ran beside the task, which is still open
    assert [w.element_id for w in drv.sc().open_items(cid)] == ["user_task"]
    assert run_until_idle(drv.worker()) == 0

    assert drv.drive(cid, {}) == ["user_task"]
    case = drv.sc().case(cid)
    assert case.status == "completed", failure(case)
    timer_path = drv.workflow(cid).get_tasks(spec_name="set_variable")
    assert [t.state for t in timer_path] == [TaskState.COMPLETED]
    assert timer_path[0].data["timer_called"] is True


def test_timer_waits_with_a_visible_due_time_then_completes(corpus: Path,
                                                            drv: Driver) -> None:
    t0 = clock.now()
    clock.freeze(t0)
    cid = drv.sc().start(drv.deploy(corpus, "timer.bpmn"))
    shown = drv.sc().show(cid)
    assert shown["status"] == "running"
    assert shown["work_items"] == []
    timers = timers_of(shown)
    assert len(timers) == 1
    due = parse_time(timers[0]["due_at"])
    assert due - t0 == timedelta(milliseconds=250)
    assert run_until_idle(drv.worker()) == 0
    assert drv.sc().case(cid).status == "running"

    clock.advance(timedelta(seconds=1))
    assert run_until_idle(drv.worker()) == 1
    shown = drv.sc().show(cid)
    assert shown["status"] == "completed", shown["error"]
    assert shown["waiting_on"] == []
    assert actions(drv.sc(), cid).count("timer.fired") == 1


# --- external work ------------------------------------------------------------------------


def test_parking_permit_waits_on_external_work_to_the_end(corpus: Path, drv: Driver) -> None:
    name = "process-parking-permit.bpmn"
    topics = sorted({m.topic for m in compile_bundle({name: (corpus / name).read_bytes()})
                     .elements.values() if m.kind == "external" and m.topic})
    t0 = clock.now()
    clock.freeze(t0)
    send_at = t0 + timedelta(days=3)
    start = {"municipalityId": "2281", "phaseAction": "AUTOMATIC",
             "timeToSendControlMessage": send_at.isoformat()}
    cid = drv.sc().start(drv.deploy(corpus, name), start)

    shown = drv.sc().show(cid)
    assert shown["status"] == "running", shown["error"]
    waiting = [(w["kind"], w["element"], w["topic"]) for w in shown["work_items"]]
    assert waiting == [("external", "external_task_check_appeal", "CheckAppealTask")]
    with unit_of_work(drv.db) as s:
        assert external.fetch_and_lock(s, "w1", ["NoSuchTopic"], actor=ADMIN) == []
        got = external.fetch_and_lock(s, "w1", ["CheckAppealTask"], actor=ADMIN)
    assert [(g["case_id"], g["element"]) for g in got] == [(cid, "external_task_check_appeal")]
    assert got[0]["variables"]["municipalityId"] == "2281"
    with unit_of_work(drv.db) as s:
        # locked by w1
        assert external.fetch_and_lock(s, "w2", ["CheckAppealTask"], actor=ADMIN) == []

    done: list[str] = []
    timer_rounds = 0
    while drv.sc().case(cid).status == "running":
        assert len(done) <= len(PARKING_PATH), done
        with unit_of_work(drv.db) as s:
            # the first round completes the CheckAppealTask item fetched above
            got = got or external.fetch_and_lock(s, "w1", topics, max_tasks=1, actor=ADMIN)
        if not got:
            # nothing to fetch: the case waits on the execution phase's timer
            timers = timers_of(drv.sc().show(cid))
            assert len(timers) == 1, (done, drv.sc().show(cid)["waiting_on"])
            assert abs(parse_time(timers[0]["due_at"]) - send_at) < timedelta(seconds=1)
            clock.advance(timedelta(days=3, seconds=1))
            assert run_until_idle(drv.worker()) == 1
            timer_rounds += 1
            continue
        task = got.pop()
        with unit_of_work(drv.db) as s:
            case = external.complete(drv.engine(), s, task["id"], "w1",
                                     PARKING_TOPIC_ANSWERS.get(task["topic"], {}), ADMIN)
            assert case.status in ("running", "completed"), failure(case)
        done.append(task["element"])

    case = drv.sc().case(cid)
    assert case.status == "completed", failure(case)
    assert done == list(PARKING_PATH)
    assert timer_rounds == 1
    assert drv.sc().show(cid)["waiting_on"] == []


# --- contained ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONTAINED))
def test_contained_error_stops_only_that_case(corpus: Path, one: Driver, name: str) -> None:
    expected = CONTAINED[name]
    sc = one.sc()
    bystander_bundle = one.deploy(corpus, "loanApproval.bpmn")
    bystander = sc.start(bystander_bundle)
    cid = sc.start(one.deploy(corpus, expected.file), expected.start)
    one.drive(cid, expected.answers)

    case = sc.case(cid)
    assert case.status == "error", failure(case)
    assert case.error_element == expected.element
    assert expected.names in (case.error_message or "")
    shown = sc.show(cid)
    assert shown["error"] == {"message": case.error_message, "element": expected.element}
    assert "case.error" in actions(sc, cid)

    # the worker keeps going, the other case is untouched and can finish
    assert run_until_idle(one.worker()) == 0
    assert sc.case(bystander).status == "running"
    assert sc.complete(bystander, "UserTask_1").status == "completed"


def test_dangerous_script_is_refused_and_the_process_lives_on(corpus: Path,
                                                               one: Driver) -> None:
    pid = os.getpid()
    sc = one.sc()
    cid = sc.start(one.deploy(corpus, "dangerous.bpmn"))
    case = sc.case(cid)
    assert case.status == "error", failure(case)
    assert case.error_element == "collect_info"
    assert "import is not allowed" in (case.error_message or "")
    assert os.getpid() == pid
    os.kill(pid, 0)  # still here

    # a retry runs the script again and is refused again
    with unit_of_work(one.db) as s:
        assert cases.retry_case(one.rt, s, cid, ADMIN).status == "error"
    os.kill(pid, 0)

    # a case started afterwards, on another bundle, runs to its end
    other = sc.start(one.deploy(corpus, "loanApproval.bpmn"))
    assert sc.complete(other, "UserTask_1").status == "completed"
    assert run_until_idle(one.worker()) == 0
    assert sc.case(cid).status == "error"


@pytest.mark.parametrize("name", sorted(CONTAINED))
def test_contained_error_message_is_tidy(corpus: Path, one: Driver, name: str) -> None:
    expected = CONTAINED[name]
    cid = one.sc().start(one.deploy(corpus, expected.file), expected.start)
    one.drive(cid, expected.answers)
    message = one.sc().case(cid).error_message or ""
    assert message == message.strip(), repr(message)
    assert "  " not in message and ". ." not in message, repr(message)
    assert message.count("(line ") <= 1, repr(message)
