"""Long cases: thousands of loop rounds must run, serialize and finish correctly."""

from __future__ import annotations

import os
import threading

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.util.task import BpmnTaskIterator
from SpiffWorkflow.util.task import TaskState

import engine.runtime.spiff_patches as spiff_patches
from engine.core.errors import ScriptLimitExceeded
from engine.runtime.long_case import MAX_TASKS, check_depth, task_count
from tests.runtime.long_cases import driving

spiff_patches.apply()

ROUNDS = 2000
SAVE_EVERY = 100


def run_case(name: str, rounds: int) -> BpmnWorkflow:
    """Drive a case to its end, checking it at every step and round-tripping it regularly."""
    model = driving.MODELS[name]
    ser = driving.serializer()
    workflow = driving.start(model, rounds)
    done = 0
    while done < rounds * model.tasks_per_round:
        assert not workflow.is_completed(), f"reported completed after {done} tasks"
        ready = driving.ready_user_tasks(workflow)
        assert len(ready) == 1, f"after {done} tasks: {ready}"
        driving.complete(workflow, ready[0], note=done)
        done += 1
        if done % SAVE_EVERY == 0:
            saved = ser.serialize_json(workflow)
            restored = ser.deserialize_json(saved)
            assert driving.snapshot(restored) == driving.snapshot(workflow)
            assert restored.data == workflow.data
            assert ser.serialize_json(restored) == saved
            workflow = restored
    assert workflow.is_completed()
    assert driving.ready_user_tasks(workflow) == []
    assert workflow.data["count"] == rounds
    assert workflow.data["note"] == done - 1
    return workflow


def test_simple_loop_runs_two_thousand_rounds() -> None:
    workflow = run_case("loop", ROUNDS)
    assert task_count(workflow) > 3 * ROUNDS


# The variants cost O(N^2) in SpiffWorkflow's subprocess and join bookkeeping: the
# default suite runs them to VARIANT_ROUNDS; `make soak` runs them to 2,000.
VARIANT_ROUNDS = int(os.environ.get("ONETHING_SOAK_ROUNDS", "400"))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["subprocess", "call", "parallel"])
def test_loop_variants_run_many_rounds(name: str) -> None:
    run_case(name, VARIANT_ROUNDS)


@pytest.mark.parametrize("name", sorted(driving.MODELS))
def test_lookups_match_upstream_walk(name: str) -> None:
    """Every shortcut answers what upstream's own walk (explicit max_depth) answers."""
    workflow = driving.start(driving.MODELS[name], 12)
    queries: list[dict[str, object]] = [
        {"state": TaskState.READY}, {"state": TaskState.READY, "manual": True},
        {"state": TaskState.WAITING}, {"state": TaskState.FUTURE | TaskState.READY},
        {"state": TaskState.NOT_FINISHED_MASK}, {"spec_name": "more"},
        {"state": TaskState.READY, "skip_subprocesses": True},
    ]
    while True:
        for query in queries:
            upstream = list(BpmnTaskIterator(workflow.task_tree, max_depth=1000, **query))
            assert workflow.get_tasks(**query) == upstream, query
            assert workflow.get_next_task(**query) == (upstream[0] if upstream else None)
        ready = driving.ready_user_tasks(workflow)
        upstream_done = next(BpmnTaskIterator(
            workflow.task_tree, max_depth=1000, state=TaskState.NOT_FINISHED_MASK), None) is None
        assert workflow.is_completed() is upstream_done
        if not ready:
            break
        driving.complete(workflow, ready[0], note=1)
    assert workflow.is_completed()


def test_reset_and_cancel_deep_case() -> None:
    """Resetting to the first review and cancelling walk thousands of levels without recursion."""
    workflow = driving.start(driving.MODELS["loop"], 1500)
    for _ in range(1200):
        driving.complete(workflow, driving.ready_user_tasks(workflow)[0])
    removed: list[object] = []
    workflow.task_removed_event.connect(lambda wf, task: removed.append(task.id))
    first_review = workflow.get_next_task(spec_name="review", state=TaskState.COMPLETED)
    assert first_review is not None
    dropped = workflow.reset_from_task_id(first_review.id)
    assert len(dropped) == len(removed) > 3000
    assert driving.ready_user_tasks(workflow) == [first_review]
    for _ in range(1100):
        driving.complete(workflow, driving.ready_user_tasks(workflow)[0])
    cancelled = workflow.cancel()
    assert cancelled and workflow.is_completed() and not workflow.success


def test_deep_case_runs_in_a_small_worker_thread() -> None:
    """No recursion per level: a worker thread with a 512 KiB stack drives a deep case."""
    errors: list[BaseException] = []

    def work() -> None:
        try:
            run_case("loop", 700)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)

    old = threading.stack_size(512 * 1024)
    try:
        worker = threading.Thread(target=work)
        worker.start()
    finally:
        threading.stack_size(old)
    worker.join()
    assert errors == []


def test_check_depth_stops_runaway_case() -> None:
    workflow = driving.start(driving.MODELS["loop"], 50)
    for _ in range(20):
        driving.complete(workflow, driving.ready_user_tasks(workflow)[0])
    check_depth(workflow, limit=MAX_TASKS)
    with pytest.raises(ScriptLimitExceeded, match="above the limit of 40"):
        check_depth(workflow, limit=40)


def test_apply_is_idempotent_and_pinned() -> None:
    spiff_patches.apply()
    assert spiff_patches.is_applied()
    with pytest.raises(RuntimeError, match="targets SpiffWorkflow 3.2.0"):
        spiff_patches.check_version("3.3.0")
