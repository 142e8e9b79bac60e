"""Each SpiffWorkflow patch next to the upstream code it replaces, on the same small case.

Every test runs one scenario under ``spiff_patches.upstream(module)`` and again patched,
and asserts both halves: upstream's failure (or its cost, counted in calls, never timed)
and the patched result.  After an upgrade of SpiffWorkflow, a test whose upstream half
fails names a patch that the new release may no longer need.  No database is used.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskFilter, TaskState

from engine.runtime import spiff_patches
from engine.runtime.diagrams.compile import compile_bundle
from engine.runtime.script_engine import OnethingScriptEngine
from engine.runtime.spiff_patches import correlations, iteration, joins, lookup, scans, tree_walks

spiff_patches.apply()

TESTS = Path(__file__).resolve().parents[1]
LOOP = TESTS / "data" / "loop.bpmn"
LOOP_PARALLEL = TESTS / "runtime" / "long_cases" / "data" / "loop_parallel.bpmn"
ORDER_WAITER = TESTS / "data" / "features" / "order_waiter.bpmn"

UPSTREAM_MAX_DEPTH = 1000  # TaskIterator's default max_depth in SpiffWorkflow 3.2.0


# --- helpers ------------------------------------------------------------------------------

def start(path: Path, process: str, data: dict[str, Any]) -> BpmnWorkflow:
    """Compile one BPMN file as the engine does and start a case with this data."""
    bundle = compile_bundle({path.name: path.read_bytes()})
    spec, subprocesses = bundle.specs[process]
    workflow = BpmnWorkflow(spec, subprocesses, script_engine=OnethingScriptEngine())
    first = workflow.get_next_task(state=TaskState.READY)
    assert first is not None
    first.data.update(data)
    workflow.do_engine_steps()
    return workflow


def inbox(workflow: BpmnWorkflow) -> list[Task]:
    """Return the READY user tasks, as the work list shows them."""
    tasks: list[Task] = workflow.get_tasks(state=TaskState.READY, manual=True)
    return tasks


def complete_first(workflow: BpmnWorkflow) -> bool:
    """Complete the first offered user task and run the engine; tell whether there was one."""
    offered = inbox(workflow)
    if not offered:
        return False
    offered[0].run()
    workflow.do_engine_steps()
    return True


def drive(workflow: BpmnWorkflow, rounds: int) -> int:
    """Complete up to ``rounds`` user tasks; return how many were offered and completed."""
    done = 0
    while done < rounds and complete_first(workflow):
        done += 1
    return done


def deep_loop(target: int, completed: int) -> BpmnWorkflow:
    """Start loop.bpmn for ``target`` rounds and complete ``completed`` of them (patched)."""
    workflow = start(LOOP, "loop", {"target": target})
    assert drive(workflow, completed) == completed
    return workflow


def depth(task: Task) -> int:
    """Return how many ancestors a task has."""
    found = 0
    parent = task.parent
    while parent is not None:
        found += 1
        parent = parent.parent
    return found


def shape(workflow: BpmnWorkflow) -> list[tuple[str, int, int]]:
    """Describe the tree (spec, state, depth per task, in creation order), ids left out."""
    return [(t.task_spec.name, t.state, depth(t)) for t in workflow.tasks.values()]


@dataclass
class Calls:
    """A call counter that counts only while ``active``."""

    count: int = 0
    active: bool = True


@contextmanager
def counting(owner: Any, name: str, *, active: bool = True) -> Iterator[Calls]:
    """Count calls of ``owner.name`` (a method, or a property's getter) inside the block."""
    original = vars(owner)[name]
    calls = Calls(active=active)
    if isinstance(original, property):
        getter = original.fget
        assert getter is not None

        def counted_get(self: Any) -> Any:
            if calls.active:
                calls.count += 1
            return getter(self)

        setattr(owner, name, property(counted_get, original.fset))
    else:
        def counted(*args: Any, **kwargs: Any) -> Any:
            if calls.active:
                calls.count += 1
            return original(*args, **kwargs)

        setattr(owner, name, counted)
    try:
        yield calls
    finally:
        setattr(owner, name, original)


def measured(calls: Calls, ask: Callable[[], Any]) -> Any:
    """Return ``ask()``, counting calls only while it runs."""
    calls.active = True
    try:
        return ask()
    finally:
        calls.active = False


def patched_in_place() -> list[str]:
    """List every replaced attribute that does not hold its patch (empty when all do)."""
    wrong = []
    for module in spiff_patches.PATCHES:
        for (owner, name), original in module.REPLACED.items():
            here = vars(owner).get(name, lookup.INHERITED) if isinstance(owner, type) \
                else getattr(owner, name)
            if here is original:
                wrong.append(f"{module.__name__}: {getattr(owner, '__qualname__', owner)}.{name}")
    return wrong


@pytest.fixture(autouse=True)
def patches_back_in_place() -> Iterator[None]:
    """Check that every test starts and ends with all patches installed."""
    assert patched_in_place() == []
    yield
    assert patched_in_place() == []


# --- iteration ----------------------------------------------------------------------------

ITERATION_ROUNDS = 300
ITERATION_HEAD_START = 240  # four tasks per round: the tree is ~960 deep, under the limit


def test_iteration_finds_ready_task_below_depth_1000() -> None:
    """Upstream stops walking at depth 1000: the case stalls with a READY task nobody finds."""
    stalled = deep_loop(ITERATION_ROUNDS, ITERATION_HEAD_START)
    with spiff_patches.upstream(iteration):
        done = ITERATION_HEAD_START + drive(stalled, ITERATION_ROUNDS)
        # Not really done: the flat task dict still holds a READY script task...
        missed = [t for t in stalled.tasks.values() if t.state == TaskState.READY]
        assert [t.task_spec.name for t in missed] == ["count"]
        assert depth(missed[0]) > UPSTREAM_MAX_DEPTH
        # ... but no walk sees it, so nothing is offered and no engine step is pending.
        assert stalled.get_tasks(state=TaskState.READY) == []
        assert stalled.get_next_task(state=TaskState.READY, manual=False) is None
    assert done == 250 < ITERATION_ROUNDS

    # The same stalled case, patched: the READY task is found and the case runs on.
    assert stalled.get_tasks(state=TaskState.READY) == missed
    stalled.do_engine_steps()
    assert done + drive(stalled, ITERATION_ROUNDS) == ITERATION_ROUNDS

    fresh = deep_loop(ITERATION_ROUNDS, ITERATION_HEAD_START)
    assert ITERATION_HEAD_START + drive(fresh, ITERATION_ROUNDS) == ITERATION_ROUNDS
    for workflow in (stalled, fresh):
        assert workflow.is_completed() and workflow.data["rounds"] == ITERATION_ROUNDS


# --- tree_walks ---------------------------------------------------------------------------

TREE_ROUNDS = 500  # ~2,000 levels: twice Python's default recursion limit


def deep_walks(workflow: BpmnWorkflow) -> dict[str, object]:
    """Ask a deep case three questions upstream answers by recursion; RecursionError counts."""
    bottom = inbox(workflow)[0]
    first = workflow.get_next_task(spec_name="supplement", state=TaskState.COMPLETED)
    assert first is not None

    def reset() -> object:
        # Back to the first round's supplement: _drop_children, then _remove_task per level.
        below = len(workflow.tasks) - depth(first) - 1  # all but first and its ancestors
        removed = workflow.reset_from_task_id(first.id)
        return len(removed) == below, below > 4 * TREE_ROUNDS, inbox(workflow) == [first]

    asks: dict[str, Callable[[], object]] = {
        "is_descendant_of": lambda: bottom.is_descendant_of(workflow.task_tree),
        "find_ancestor": lambda: getattr(bottom.find_ancestor("start"), "task_spec", None),
        "reset": reset,
    }
    answers: dict[str, object] = {}
    for name, ask in asks.items():
        try:
            answers[name] = ask()
        except RecursionError:
            answers[name] = RecursionError
    return answers


def test_tree_walks_answer_deep_case_without_recursion() -> None:
    """Upstream recurses once per level and fails on a ~2,000-deep case; patched walks it."""
    limit = sys.getrecursionlimit()
    upstream_case = deep_loop(TREE_ROUNDS + 1, TREE_ROUNDS)
    assert depth(inbox(upstream_case)[0]) > 1.5 * limit, "the case must be deeper than the limit"
    with spiff_patches.upstream(tree_walks):
        upstream = deep_walks(upstream_case)
    assert sys.getrecursionlimit() == limit
    assert upstream == dict.fromkeys(("is_descendant_of", "find_ancestor", "reset"),
                                     RecursionError)

    patched_case = deep_loop(TREE_ROUNDS + 1, TREE_ROUNDS)
    patched = deep_walks(patched_case)
    start_spec = patched_case.spec.task_specs["start"]
    assert patched == {"is_descendant_of": True, "find_ancestor": start_spec,
                       "reset": (True, True, True)}  # 2,006 tasks removed


# --- joins --------------------------------------------------------------------------------

JOIN_ROUNDS = 30


@dataclass
class JoinRun:
    """What driving loop_parallel.bpmn to its end gave and cost."""

    completed: int
    data: dict[str, Any]
    shape: list[tuple[str, int, int]]
    descendant_checks: int
    parent_steps: int


def drive_parallel_loop() -> JoinRun:
    """Drive a loop whose body has a parallel join, counting ancestry work."""
    workflow = start(LOOP_PARALLEL, "loop_parallel", {"count": 1, "tallied": 0,
                                                      "limit": JOIN_ROUNDS})
    with counting(Task, "is_descendant_of") as checks, counting(Task, "parent") as steps:
        completed = drive(workflow, 10 * JOIN_ROUNDS)
    assert workflow.is_completed()
    return JoinRun(completed, dict(workflow.data), shape(workflow), checks.count, steps.count)


def test_joins_check_a_join_in_a_loop_without_rewalking_ancestors() -> None:
    """Upstream asks is_descendant_of of every earlier join instance; patched reads a set."""
    with spiff_patches.upstream(joins):
        upstream = drive_parallel_loop()
    patched = drive_parallel_loop()
    # Same decisions: same tasks offered, same tree, same data.
    assert upstream.completed == patched.completed == 2 * JOIN_ROUNDS
    assert upstream.data == patched.data and upstream.data["count"] == JOIN_ROUNDS
    assert upstream.shape == patched.shape
    # Measured: 7,845 ancestry checks and ~613,000 parent steps upstream, against none
    # and ~6,000 patched (the steps every case takes anyway).
    assert upstream.descendant_checks > JOIN_ROUNDS ** 2 and patched.descendant_checks == 0
    assert upstream.parent_steps > 20 * patched.parent_steps


# --- scans and lookup ---------------------------------------------------------------------

PROBE_ROUNDS = 100


@dataclass
class ProbeRun:
    """What a probe answered after each step of loop.bpmn, and the tasks its walks examined."""

    answers: list[object]
    examined: int


def probe_each_step(probe: Callable[[BpmnWorkflow], object]) -> ProbeRun:
    """Drive loop.bpmn to its end, asking ``probe`` after every step.

    Work is counted as TaskFilter.matches calls, one per task a walk examines (a
    BpmnTaskFilter calls it too), and only while the probe runs.
    """
    workflow = start(LOOP, "loop", {"target": PROBE_ROUNDS})
    answers = []
    with counting(TaskFilter, "matches", active=False) as examined:
        while True:
            answers.append(measured(examined, lambda: probe(workflow)))
            if not complete_first(workflow):
                break
    return ProbeRun(answers, examined.count)


def engine_step_questions(workflow: BpmnWorkflow) -> object:
    """Ask what the case runner asks after a step: finished? any engine task READY?"""
    engine_task = workflow.get_next_task(state=TaskState.READY, manual=False)
    return workflow.is_completed(), engine_task and engine_task.task_spec.name


def test_scans_answer_completion_without_walking_the_tree() -> None:
    """Upstream is_completed walks the whole tree each time (unfinished tasks are last)."""
    with spiff_patches.upstream(scans):
        upstream = probe_each_step(engine_step_questions)
    patched = probe_each_step(engine_step_questions)
    assert upstream.answers == patched.answers
    assert patched.answers[-1] == (True, None)
    assert len(patched.answers) == PROBE_ROUNDS + 1
    # Measured: ~40,000 tasks examined upstream (two whole-tree walks per step), ~100
    # patched (the one READY user task per step, refused by manual=False).
    assert upstream.examined > 100 * patched.examined > 0


def inbox_names(workflow: BpmnWorkflow) -> object:
    """Return the names of the READY user tasks."""
    return [t.task_spec.name for t in inbox(workflow)]


def test_lookup_answers_ready_tasks_without_walking_the_tree() -> None:
    """Upstream finds READY tasks by a walk from the root; patched from the flat task dict."""
    with spiff_patches.upstream(lookup):
        upstream = probe_each_step(inbox_names)
    patched = probe_each_step(inbox_names)
    assert upstream.answers == patched.answers == [["supplement"]] * PROBE_ROUNDS + [[]]
    # Measured: ~20,000 tasks examined upstream, 100 patched (one per READY task).
    assert upstream.examined > 50 * patched.examined > 0


# --- correlations -------------------------------------------------------------------------

def deliver_without_correlation_property() -> object:
    """Send order_paid to a waiting case with a payload that lacks order_id."""
    workflow = start(ORDER_WAITER, "order_waiter", {"order_id": "O-1"})
    waiting = [t for t in workflow.event_manager.tasks.values()
               if t.has_state(TaskState.WAITING)]
    definition = waiting[0].task_spec.event_definition
    # Routed by the correlation the caller names, as engine.runtime.events does.
    given = {key: {prop.name: "O-1"} for prop in definition.correlation_properties
             for key in prop.correlation_keys}
    try:
        workflow.send_event(BpmnEvent(definition, payload={"amount": 80}, correlations=given))
    except NameError as exc:
        return f"NameError: {exc}"
    workflow.do_engine_steps()
    shipping = inbox(workflow)
    return ([t.task_spec.name for t in shipping], shipping[0].data["payment"],
            workflow.correlations == given)


def test_correlations_skip_a_property_the_payload_lacks() -> None:
    """Upstream evaluates order_id on the payload and raises; patched keeps the case's value."""
    with spiff_patches.upstream(correlations):
        upstream = deliver_without_correlation_property()
    assert upstream == "NameError: name 'order_id' is not defined"
    assert deliver_without_correlation_property() == (["ship"], {"amount": 80}, True)


# --- the context manager itself -----------------------------------------------------------

def test_upstream_restores_every_patch_even_when_the_block_raises() -> None:
    """Inside upstream() every replaced attribute holds upstream's value; after it, the patch."""
    with pytest.raises(KeyError), spiff_patches.upstream():
        assert len(patched_in_place()) == sum(len(m.REPLACED) for m in spiff_patches.PATCHES)
        raise KeyError("leave the block")
    assert patched_in_place() == []
    with spiff_patches.upstream(scans):
        lifted = patched_in_place()
        assert len(lifted) == len(scans.REPLACED)
        assert all(name.startswith(f"{scans.__name__}:") for name in lifted)
    with pytest.raises(ValueError, match="not a spiff patch module"):
        with spiff_patches.upstream(sys):
            pass
