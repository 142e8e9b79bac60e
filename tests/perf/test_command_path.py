"""The fast command path keeps its guarantees: one write of the case row, a clean session
for the after-step listeners, the version check, and task rows that match a fresh load.

Run on demand with the benchmark: pytest tests/perf/test_command_path.py
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, select

from engine.casework import cases
from engine.core.actors import SYSTEM
from engine.core.db import unit_of_work
from engine.core.errors import Conflict
from engine.design import deployments
from engine.models import Case, CaseTask, WorkItem
from engine.runtime import case_events, case_runner, persistence
from engine.runtime.serialization import blank_key, task_json
from tests.conftest import DATA
from tests.perf import bench_engine


@pytest.fixture
def reference(rt: Any, db: Any) -> Any:
    with unit_of_work(db) as s:
        deployments.deploy(s, {"reference.bpmn": (DATA / "reference.bpmn").read_bytes()},
                           actor=SYSTEM)
    return db


@pytest.fixture
def seen() -> Iterator[list[dict[str, Any]]]:
    """What each after-step listener call saw of the session and the event."""
    calls: list[dict[str, Any]] = []

    def listener(session: Any, event: case_events.StepEvent) -> None:
        calls.append({"dirty": list(session.dirty), "new": list(session.new),
                      "version": event.case.version, "status": event.case.status,
                      "opened": sorted(w.element_id for w in event.opened),
                      "completed": event.completed.element_id if event.completed else None,
                      "stored_version": session.scalar(
                          select(Case.version).where(Case.id == event.case.id))})

    case_events.listen(listener)
    yield calls
    case_events.forget(listener)


def _start(rt: Any, db: Any) -> int:
    with unit_of_work(db) as s:
        return cases.start_case(rt, s, "reference", {}, actor=SYSTEM).id


def test_listeners_see_a_written_case_and_a_clean_session(rt: Any, reference: Any,
                                                           seen: list[dict[str, Any]]) -> None:
    cid = _start(rt, reference)
    for _ in range(3):
        bench_engine._complete_next(rt, reference, cid, bench_engine.REF_DATA)
    assert [c["completed"] for c in seen] == [None, "apply", "fire", "market"]
    assert [c["opened"] for c in seen] == [["apply"], ["fire", "market"], [], []]
    assert [c["version"] for c in seen] == [1, 2, 3, 4]
    # the row is written before the listeners run, so their queries read the new state
    assert [c["stored_version"] for c in seen] == [1, 2, 3, 4]
    assert seen[-1]["status"] == "completed"
    assert all(not c["dirty"] and not c["new"] for c in seen)
    with unit_of_work(reference) as s:
        states = dict(s.execute(select(WorkItem.element_id, WorkItem.state)
                                .where(WorkItem.case_id == cid)).all())
    assert states == {"apply": "completed", "market": "completed", "fire": "completed"}


def test_a_completion_writes_the_case_row_once(rt: Any, reference: Any) -> None:
    cid = _start(rt, reference)
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(" ".join(statement.split()[:3]).lower())

    engine = reference.kw["bind"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        bench_engine._complete_next(rt, reference, cid, bench_engine.REF_DATA)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert sent.count("update cases set") == 1
    assert sent.count("update work_items set") == 1
    assert sent.count("update case_tasks set") == 1
    assert sent.count("insert into work_items") == 1  # the two reviews, one statement
    # the look-up, the lock, the work item, the case's open items
    assert sum(1 for text in sent if text.startswith("select")) <= 4 + len(
        [t for t in sent if "commitment" in t or "notification" in t])


def test_the_version_check_refuses_a_row_that_moved(rt: Any, reference: Any) -> None:
    cid = _start(rt, reference)
    with pytest.raises(Conflict), unit_of_work(reference) as s:
        case = case_runner.lock_case(s, cid)
        case_runner.write_case(s, case, case.version + 1)
    with unit_of_work(reference) as s:
        assert s.scalar(select(Case.version).where(Case.id == cid)) == 1


def test_stored_task_rows_match_the_live_workflow(rt: Any, reference: Any) -> None:
    cid = _start(rt, reference)
    bench_engine._complete_next(rt, reference, cid, bench_engine.REF_DATA)
    live = rt.workflows.take(cid, 2)
    assert live is not None
    with unit_of_work(reference) as s:
        stored = dict(s.execute(select(CaseTask.task_id, CaseTask.payload)
                                .where(CaseTask.case_id == cid)).all())
    tasks = {str(t.id): t for t in live.workflow.tasks.values()}
    assert stored.keys() == tasks.keys()
    assert all(stored[tid] == task_json(task) for tid, task in tasks.items())
    # predicted tasks were compared by their blank key, not re-serialised
    assert any(blank_key(t) is not None for t in tasks.values())
    assert set(live.blank_keys) <= {t.id for t in tasks.values()}


def test_a_blank_key_changes_when_the_parents_data_does(rt: Any, reference: Any) -> None:
    cid = _start(rt, reference)
    live = rt.workflows.take(cid, 1)
    assert live is not None
    blank = next(t for t in live.workflow.tasks.values() if blank_key(t) is not None)
    before, text = blank_key(blank), task_json(blank)
    blank.parent.data["extra"] = 1
    assert blank_key(blank) != before and task_json(blank) != text
    assert isinstance(live, persistence.LiveCase)
