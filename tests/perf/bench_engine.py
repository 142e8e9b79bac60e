"""Engine benchmark: python -m tests.perf.bench_engine

Prints, on a fresh SQLite file (and on PostgreSQL when TEST_DATABASE_URL is set):
1. the reference process (3 user tasks, a parallel split/join, 2 scripts) driven
   start to end through the engine API, in cases per second, beside the same
   process driven in memory (the ceiling) and the naive approach (the whole
   workflow serialised into one row at every step);
2. a loop process at 10, 100 and 1,000 completed tasks: the time one more
   completion takes, split into engine time and persistence time, beside the
   naive approach at the same depth.
All baselines are measured in the same run. Nothing here asserts a time.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Table,
    Text,
    bindparam,
    insert,
    select,
    text,
    update,
)

from adapters.services import default_services
from engine.casework import cases, completion
from engine.core.actors import SYSTEM
from engine.core.db import make_engine, make_session_factory, unit_of_work
from engine.design import deployments
from engine.models import Base, WorkItem
from engine.runtime.diagrams import compile_bundle
from engine.runtime.engine import Engine
from engine.runtime.serialization import SERIALIZER
from tests.perf import breakdown

DATA = Path(__file__).resolve().parents[1] / "data"
_NEXT_ITEM = (select(WorkItem.id, WorkItem.element_id)
              .where(WorkItem.case_id == bindparam("case_id"), WorkItem.state == "open")
              .order_by(WorkItem.element_id).limit(1))
REF_DATA = {"apply": {"amount": 3}, "market": {"market_ok": True}, "fire": {"fire_ok": True}}


def _median_rate(fn: Callable[[], None], runs: int, repeat: int = 3) -> float:
    rates = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(runs):
            fn()
        rates.append(runs / (time.perf_counter() - t0))
    return statistics.median(rates)


def _drive_memory(spec: Any, subs: Any, rt: Engine) -> BpmnWorkflow:
    wf = BpmnWorkflow(spec, subs, script_engine=rt.script_engine)
    wf.do_engine_steps()
    while True:
        ready = wf.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            return wf
        task = ready[0]
        task.data.update(REF_DATA.get(task.task_spec.name, {}))
        task.run()
        wf.do_engine_steps()


class NaiveStore:
    """The approach per-task persistence replaces: one JSON row per case, rewritten each step."""

    def __init__(self, factory: Any) -> None:
        self.factory = factory
        self.table = Table(f"naive_{uuid.uuid4().hex[:8]}", MetaData(),
                           Column("id", Integer, primary_key=True), Column("body", Text))
        self.table.create(factory.kw["bind"])

    def create(self, wf: Any) -> int:
        with unit_of_work(self.factory) as s:
            return int(s.execute(insert(self.table).values(
                body=SERIALIZER.serialize_json(wf)).returning(self.table.c.id)).scalar_one())

    def step(self, case_id: int, rt: Engine, pick: Callable[[Any], Any]) -> bool:
        with unit_of_work(self.factory) as s:
            body = s.execute(select(self.table.c.body).where(self.table.c.id == case_id)
                             .with_for_update()).scalar_one()
            wf = SERIALIZER.deserialize_json(body)
            wf.script_engine = rt.script_engine
            ready = wf.get_tasks(state=TaskState.READY, manual=True)
            if not ready:
                return False
            task = pick(ready)
            task.run()
            wf.do_engine_steps()
            s.execute(update(self.table).where(self.table.c.id == case_id)
                      .values(body=SERIALIZER.serialize_json(wf)))
            return True


def _fresh_db(label: str) -> tuple[Any, Any, Callable[[], None]]:
    pg = os.environ.get("TEST_DATABASE_URL")
    if label == "postgresql" and pg:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(pg)
        with admin.begin() as c:
            c.execute(text(f"CREATE SCHEMA {schema}"))
        engine = make_engine(f"{pg}{'&' if '?' in pg else '?'}options=-csearch_path%3D{schema}")

        def drop() -> None:
            engine.dispose()
            with admin.begin() as c:
                c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
    else:
        folder = tempfile.mkdtemp(prefix="onething-bench-")
        engine = make_engine(f"sqlite:///{folder}/bench.db")

        def drop() -> None:
            engine.dispose()
    Base.metadata.create_all(engine)
    return engine, make_session_factory(engine), drop


def _deploy(factory: Any, name: str) -> None:
    with unit_of_work(factory) as s:
        deployments.deploy(s, {name: (DATA / name).read_bytes()}, actor=SYSTEM)


def _complete_next(rt: Engine, factory: Any, case_id: int, data: dict[str, Any]) -> None:
    with unit_of_work(factory) as s:
        # what a client sends: the task's id (from its inbox) and the form data
        found = s.execute(_NEXT_ITEM, {"case_id": case_id}).first()
        assert found is not None
        item_id, element_id = found
        completion.complete(rt, s, item_id, data.get(element_id, data), SYSTEM)


def bench_reference(label: str, runs: int) -> None:
    rt = Engine(services=default_services())
    engine, factory, drop = _fresh_db(label)
    try:
        _deploy(factory, "reference.bpmn")
        bundle = compile_bundle({"reference.bpmn": (DATA / "reference.bpmn").read_bytes()})
        spec, subs = bundle.specs["reference"]

        def via_engine() -> None:
            with unit_of_work(factory) as s:
                cid = cases.start_case(rt, s, "reference", {}, actor=SYSTEM).id
            for _ in range(3):
                _complete_next(rt, factory, cid, REF_DATA)

        naive = NaiveStore(factory)

        def via_naive() -> None:
            wf = BpmnWorkflow(spec, subs, script_engine=rt.script_engine)
            wf.do_engine_steps()
            cid = naive.create(wf)

            def pick(ready: list[Any]) -> Any:
                task = ready[0]
                task.data.update(REF_DATA.get(task.task_spec.name, {}))
                return task
            while naive.step(cid, rt, pick):
                pass

        memory = _median_rate(lambda: _drive_memory(spec, subs, rt), runs * 4)
        ours = _median_rate(via_engine, runs)
        naive_rate = _median_rate(via_naive, runs)
        print(f"[{label}] reference process, cases/s: engine {ours:7.1f} | in memory "
              f"{memory:7.1f} | naive full-JSON {naive_rate:7.1f} | engine/in-memory "
              f"{ours / memory:5.1%} | engine/naive {ours / naive_rate:4.2f}x")
        _print_breakdown(engine, via_engine, runs)
    finally:
        drop()


def _print_breakdown(engine: Any, via_engine: Callable[[], None], runs: int) -> None:
    """Statements and milliseconds per command (a case is 4 commands), in a pass of its own."""
    commands = 4 * runs
    with breakdown.statements(engine) as counts, breakdown.phases() as spent:
        t0 = time.perf_counter()
        for _ in range(runs):
            via_engine()
        total = time.perf_counter() - t0
    # each command also sends one look-up of the next task's id (the client's side)
    counts["SELECT"] -= 3 * runs
    sent = sum(counts.values())
    print(f"  per command: {sent / commands:.1f} statements ("
          + ", ".join(f"{word} {n / commands:.2f}" for word, n in counts.most_common())
          + ") + COMMIT")
    rest = total - sum(spent.values())
    parts = [*spent.most_common(), ("the rest", rest)]
    print(f"  per command: {total / commands * 1e3:.2f} ms = "
          + " + ".join(f"{name} {sec / commands * 1e3:.2f}" for name, sec in parts))


def bench_loop(label: str, depths: tuple[int, ...] = (10, 100, 1000), samples: int = 15) -> None:
    rt = Engine(services=default_services())
    engine, factory, drop = _fresh_db(label)
    timings = {"engine": 0.0, "persist": 0.0}
    real_run, real_store = cases.run_steps, cases.store

    def timed_run(*a: Any, **k: Any) -> None:
        t0 = time.perf_counter()
        real_run(*a, **k)
        timings["engine"] += time.perf_counter() - t0

    def timed_store(*a: Any, **k: Any) -> None:
        t0 = time.perf_counter()
        real_store(*a, **k)
        timings["persist"] += time.perf_counter() - t0

    cases.run_steps, cases.store = timed_run, timed_store  # type: ignore[assignment]
    try:
        _deploy(factory, "loop.bpmn")
        bundle = compile_bundle({"loop.bpmn": (DATA / "loop.bpmn").read_bytes()})
        spec, subs = bundle.specs["loop"]
        naive = NaiveStore(factory)
        with unit_of_work(factory) as s:
            cid = cases.start_case(rt, s, "loop", {"target": 10**6}, actor=SYSTEM).id
        wf = BpmnWorkflow(spec, subs, script_engine=rt.script_engine)
        wf.get_next_task(state=TaskState.READY).data.update({"target": 10**6})
        wf.do_engine_steps()
        ncid = naive.create(wf)
        done = 0
        print(f"[{label}] loop process: one more completion at depth N (median of {samples})")
        for depth in depths:
            while done < depth - samples:
                _complete_next(rt, factory, cid, {})
                naive.step(ncid, rt, lambda r: r[0])
                done += 1
            eng, per, tot, nai = [], [], [], []
            while done < depth:
                timings["engine"] = timings["persist"] = 0.0
                t0 = time.perf_counter()
                _complete_next(rt, factory, cid, {})
                tot.append(time.perf_counter() - t0)
                eng.append(timings["engine"])
                per.append(timings["persist"])
                t0 = time.perf_counter()
                naive.step(ncid, rt, lambda r: r[0])
                nai.append(time.perf_counter() - t0)
                done += 1
            m = statistics.median
            print(f"  N={depth:5d}: total {m(tot) * 1e3:7.2f} ms = engine {m(eng) * 1e3:7.2f} "
                  f"+ persistence {m(per) * 1e3:6.2f} (+ load/lock/audit "
                  f"{(m(tot) - m(eng) - m(per)) * 1e3:5.2f}) | naive {m(nai) * 1e3:8.2f} ms "
                  f"| naive/engine {m(nai) / m(tot):5.1f}x")
    finally:
        cases.run_steps, cases.store = real_run, real_store  # type: ignore[assignment]
        drop()


def main() -> None:
    labels = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
    runs = int(os.environ.get("BENCH_RUNS", "30"))
    for label in labels:
        bench_reference(label, runs)
        bench_loop(label)


if __name__ == "__main__":
    main()
