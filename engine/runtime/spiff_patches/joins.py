"""Parallel-join checks that stay linear when the join sits inside a loop.

Upstream ``ParallelGateway._check_threshold_unstructured`` looks at every
earlier instance of the join (one per loop iteration) and, for each, calls
``is_descendant_of`` both ways, each walking up to the root: O(iterations x
depth) per join update, O(N^3) for a whole case, plus a recursive
``remove_ancestor``.  ``UnstructuredJoin._run_hook`` does the same per finished
instance.  The replacements compute the join task's ancestors once and answer
each "is descendant" question from that set, with the same results and order.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.parallel_gateway import ParallelGateway
from SpiffWorkflow.bpmn.specs.mixins.unstructured_join import UnstructuredJoin
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

from engine.runtime.spiff_patches.lookup import depth_first_order, parent_of, reachable

UPSTREAM = "3.2.0"  # the SpiffWorkflow release this module was checked against

REPLACED: dict[tuple[Any, str], Any] = {
    (ParallelGateway, "_check_threshold_unstructured"):
        ParallelGateway._check_threshold_unstructured,
    (UnstructuredJoin, "_run_hook"): UnstructuredJoin._run_hook,
}
"""What apply() replaces, as found at import: (owner, attribute) -> upstream value."""


class Lineage:
    """The proper ancestors of one task, for O(1) ancestry questions."""

    def __init__(self, task: Task) -> None:
        self.task = task
        self.ancestors: set[Task] = set()
        parent = parent_of(task)
        while parent is not None:
            self.ancestors.add(parent)
            parent = parent_of(parent)

    def has_ancestor(self, other: Task) -> bool:
        """Same as ``self.task.is_descendant_of(other)``."""
        return other in self.ancestors

    def is_ancestor_of(self, other: Task) -> bool:
        """Same as ``other.is_descendant_of(self.task)``."""
        parent = parent_of(other)
        # Stop at the first common ancestor: above it lie only our own ancestors.
        while parent is not None and parent not in self.ancestors:
            if parent is self.task:
                return True
            parent = parent_of(parent)
        return False


def _instances(spec_name: str, my_task: Task, lineage: Lineage) -> list[Task]:
    """Return ``get_tasks(spec_name=...)`` minus my_task's ancestors, in walk order.

    Upstream iterates all instances in depth-first order but skips the ancestors
    (earlier loop iterations) without effect, so only the rest needs ordering.
    """
    workflow = my_task.workflow
    root = workflow.task_tree
    subs = workflow.top_workflow.subprocesses.values()
    owners = [workflow, *(s for s in subs if s is not workflow)]
    # Every task of the workflow's own dict hangs under its root, and a walk with
    # predicted states in its mask enters every task: only subprocess tasks need
    # the reachability check.
    found = [
        t for owner in owners for t in owner.tasks.values()
        if t.task_spec.name == spec_name and t not in lineage.ancestors
        and (owner is workflow or reachable(t, root, TaskState.MAYBE))
    ]
    # Case (c) below is "remove X if present", which commutes; only case (a), the
    # instances below my_task, depends on what was removed before.  Without any,
    # upstream's order cannot change the outcome, so sorting is skipped.
    if any(lineage.is_ancestor_of(t) for t in found):
        return depth_first_order(found)
    return found


def _check_threshold_unstructured(self: ParallelGateway, my_task: Task) -> bool:
    """Replace ``ParallelGateway._check_threshold_unstructured`` (same decision)."""
    lineage = Lineage(my_task)
    tasks = _instances(self.name, my_task, lineage)
    waiting_inputs = set(self.inputs)
    for task in tasks:
        if lineage.is_ancestor_of(task):
            # First iteration: the nearest ancestor whose spec is an input will not be
            # reached until after this join completes (upstream's remove_ancestor).
            current: Task | None = task
            while current is not None:
                if current.task_spec in waiting_inputs:
                    waiting_inputs.remove(current.task_spec)
                    break
                current = current.parent
        elif lineage.has_ancestor(task):
            # A later iteration: ignore the parents of earlier ones.
            continue
        elif task.parent.state == TaskState.COMPLETED and task.parent.task_spec in waiting_inputs:
            waiting_inputs.remove(task.parent.task_spec)
    return len(waiting_inputs) == 0


def _run_hook(self: UnstructuredJoin, my_task: Task) -> bool:
    """Replace ``UnstructuredJoin._run_hook`` (same merges in the same order)."""
    lineage = Lineage(my_task)
    other_tasks = [
        t for t in my_task.workflow.tasks.values()
        if t.task_spec == self and t.has_state(TaskState.FINISHED_MASK)
        and not lineage.has_ancestor(t)
    ]
    for task in sorted(other_tasks, key=lambda t: t.last_state_change):
        DeepMerge.merge(my_task.data, task.parent.data)
        # Only when a workflow was reset inside a parallel branch (see upstream).
        if task.has_state(TaskState.COMPLETED):
            task._drop_children(force=True)
    my_task._inherit_data()
    return True


def apply() -> None:
    """Install the linear join checks."""
    ParallelGateway._check_threshold_unstructured = (
        _check_threshold_unstructured
    )
    UnstructuredJoin._run_hook = _run_hook
