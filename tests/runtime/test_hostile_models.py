"""A hostile model stops its own case within its limits; other cases and readers carry on."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select, text

from engine.core.db import unit_of_work
from engine.models import Case
from engine.runtime.case_runner import open_live
from engine.runtime.engine import Engine, Limits
from tests.runtime.hostile_support import M, gateway, node, process, script, within
from tests.runtime.hostile_support import flow as seq
from tests.runtime.hostile_support import ordinary as ordinary_model
from tests.runtime.scenario import Scenario

COLLIDING = [
    f"len(set(range(0, 30000 * {M}, {M}))) > 0",
    f"len(dict(zip(range(0, 30000 * {M}, {M}), range(30000)))) > 0",
]
# allowed operations, each bounded, that together would run far past the limit
SLOW = "sum(L.count(i) for L in [list(range(100000))] for i in range(30000)) >= 0"


@pytest.fixture
def sc(rt: Engine, db: Any) -> Scenario:
    return Scenario(rt, db)


def _error(sc: Scenario, cid: int) -> tuple[str, str | None, str]:
    case = sc.case(cid)
    return case.status, case.error_element, case.error_message or ""


@pytest.mark.parametrize("condition", COLLIDING)
def test_colliding_condition_stops_only_its_case(sc: Scenario, condition: str) -> None:
    sc.deploy_files({"hostile.bpmn": gateway("hostile", condition)})
    sc.deploy_files({"ordinary.bpmn": ordinary_model()})
    cid, elapsed = within(30, lambda: sc.start("hostile"))
    status, element, message = _error(sc, cid)
    assert (status, element) == ("error", "check")
    assert "set element or dict key" in message and "hash alike" in message
    assert elapsed < 10
    other = sc.start("ordinary")
    assert sc.complete(other, "review").status == "completed"


def test_hostile_script_leaves_no_partial_data(sc: Scenario, db: Any) -> None:
    body = (node("startEvent", "start", [], ["f0"])
            + script("calc", "f0", "f1", f"note = 'written'\nkeys = {{{M} * i for i in range(9)}}")
            + node("endEvent", "end", ["f1"], [])
            + seq("f0", "start", "calc") + seq("f1", "calc", "end"))
    sc.deploy_files({"hostile.bpmn": process("hostile_script", body)})
    cid, _ = within(30, lambda: sc.start("hostile_script"))
    assert _error(sc, cid)[:2] == ("error", "calc")
    with unit_of_work(db) as session:
        case = session.get(Case, cid)
        assert case is not None
        [task] = open_live(sc.rt, session, case).workflow.get_tasks(spec_name="calc")
        assert "note" not in task.data and "keys" not in task.data


@pytest.mark.parametrize("condition", [*COLLIDING, SLOW], ids=["set", "dict", "slow"])
def test_hostile_case_does_not_freeze_other_work(rt: Engine, db: Any, condition: str) -> None:
    sc = Scenario(rt, db)
    sc.deploy_files({"hostile.bpmn": gateway("hostile", condition)})
    sc.deploy_files({"ordinary.bpmn": ordinary_model()})
    done: dict[str, tuple[int, float]] = {}
    latencies: list[float] = []
    stop = threading.Event()

    def hostile() -> None:
        started = time.monotonic()
        done["hostile"] = (sc.start("hostile"), time.monotonic() - started)

    def ordinary() -> None:
        started = time.monotonic()
        cid = sc.start("ordinary")
        sc.complete(cid, "review")
        done["ordinary"] = (cid, time.monotonic() - started)

    def reader() -> None:
        # what /healthz and the read-only pages do: never behind the write lock
        while not stop.is_set():
            started = time.monotonic()
            with unit_of_work(db, read_only=True) as session:
                session.execute(text("SELECT 1"))
                session.scalar(select(func.count()).select_from(Case))
            latencies.append(time.monotonic() - started)
            time.sleep(0.01)

    threads = [threading.Thread(target=f, daemon=True) for f in (reader, hostile)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # the hostile command is under way
    second = threading.Thread(target=ordinary, daemon=True)
    second.start()
    for thread in (threads[1], second):
        thread.join(40)
    stop.set()
    threads[0].join(5)

    assert "hostile" in done and "ordinary" in done, f"not finished: {sorted(done)}"
    hostile_id, hostile_time = done["hostile"]
    status, element, message = _error(sc, hostile_id)
    assert (status, element) == ("error", "check"), message
    assert hostile_time < 10, f"the hostile case ran {hostile_time:.1f} s"
    assert sc.case(done["ordinary"][0]).status == "completed"
    assert done["ordinary"][1] < 20
    assert len(latencies) > 5 and max(latencies) < 2.0, f"a read waited {max(latencies):.1f} s"


def _deadline_engine(services: Any) -> Engine:
    return Engine(services=services, limits=Limits(seconds_per_command=1.0))


def test_each_evaluation_stops_at_the_command_deadline(db: Any, services: Any) -> None:
    work = ("big = list(range(100000))\nn = 0\nfor i in range(30000):\n"
            "    n += big.count(i)")
    body = (node("startEvent", "start", [], ["f0"]) + script("work", "f0", "f1", work)
            + node("endEvent", "end", ["f1"], [])
            + seq("f0", "start", "work") + seq("f1", "work", "end"))
    sc = Scenario(_deadline_engine(services), db)
    sc.deploy_files({"slow.bpmn": process("slow", body)})
    cid, elapsed = within(30, lambda: sc.start("slow"))
    status, element, message = _error(sc, cid)
    assert (status, element) == ("error", "work")
    assert "the command exceeded its 1.0 seconds" in message
    # its own limit is 5 s: the command's deadline came first
    assert elapsed < 4


def test_the_command_deadline_is_checked_between_engine_steps(db: Any, services: Any) -> None:
    tick = "busy = sum(list(range(100000)).count(i) for i in range(20))\ncount = count + 1"
    body = (node("startEvent", "start", [], ["f0"]) + script("init", "f0", "f1", "count = 0")
            + node("exclusiveGateway", "merge", ["f1", "f_again"], ["f2"])
            + script("tick", "f2", "f3", tick)
            + node("exclusiveGateway", "more", ["f3"], ["f_again", "f_done"],
                   attrs='default="f_done"')
            + node("endEvent", "end", ["f_done"], [])
            + seq("f0", "start", "init") + seq("f1", "init", "merge") + seq("f2", "merge", "tick")
            + seq("f3", "tick", "more") + seq("f_again", "more", "merge", "count < 2000")
            + seq("f_done", "more", "end"))
    sc = Scenario(_deadline_engine(services), db)
    sc.deploy_files({"loop.bpmn": process("loop", body)})
    cid, elapsed = within(60, lambda: sc.start("loop"))
    status, _, message = _error(sc, cid)
    assert status == "error"
    assert "command ran for more than 1.0 seconds" in message \
        or "the command exceeded its 1.0 seconds" in message
    assert elapsed < 4
