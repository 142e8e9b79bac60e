"""Iterative versions of SpiffWorkflow's recursive task-tree walks.

Upstream 3.2.0 recurses once per tree level in the methods below, so a task
tree deeper than about 1,000 levels (a few hundred loop iterations) raises
``RecursionError`` when a case is predicted, reset, cancelled or joined.  Each
replacement uses an explicit stack and visits, mutates and notifies in exactly
the order the recursive original did, so listeners (``task_removed_event``,
persistence) see the same sequence.  ``sys.setrecursionlimit`` is left alone:
raising it would trade an exception for a possible C-stack overflow in worker
threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from SpiffWorkflow.specs.base import TaskSpec
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from SpiffWorkflow.workflow import Workflow

UPSTREAM = "3.2.0"  # the SpiffWorkflow release this module was checked against

REPLACED: dict[tuple[Any, str], Any] = {
    (TaskSpec, "_predict"): TaskSpec._predict,
    (Task, "is_descendant_of"): Task.is_descendant_of,
    (Task, "find_ancestor"): Task.find_ancestor,
    (Task, "_drop_children"): Task._drop_children,
    (Task, "cancel"): Task.cancel,
    (Workflow, "_remove_task"): Workflow._remove_task,
}
"""What apply() replaces, as found at import: (owner, attribute) -> upstream value."""


def _predict(
    self: TaskSpec,
    my_task: Task,
    seen: list[Any] | None = None,
    looked_ahead: int = 0,
    mask: int = TaskState.PREDICTED_MASK,
) -> None:
    """Replace ``TaskSpec._predict``, which recursed once per predicted task.

    ``BpmnWorkflow()`` predicts the whole definite path of a process, so a long
    chain of tasks recursed once per task (gotcha 9).
    """
    # One frame per upstream call: (spec, children still to visit, seen, looked_ahead, look_ahead).
    frames: list[tuple[TaskSpec, Iterator[Task], list[Any], int, bool]] = []

    def enter(spec: TaskSpec, task: Task, seen: list[Any] | None, looked_ahead: int) -> None:
        if seen is None:
            seen = []
        if task.has_state(mask):
            spec._predict_hook(task)
        if task.has_state(TaskState.PREDICTED_MASK):
            seen.append(spec)
        look_ahead = task.has_state(TaskState.DEFINITE_MASK) or looked_ahead + 1 < spec.lookahead
        frames.append((spec, iter(task.children), seen, looked_ahead, look_ahead))

    enter(self, my_task, seen, looked_ahead)
    while frames:
        _spec, children, seen_here, ahead, look_ahead = frames[-1]
        for child in children:
            if child.has_state(mask) and child not in seen_here and look_ahead:
                child_spec = child.task_spec
                if type(child_spec)._predict is not _predict:
                    # A spec class that overrides _predict gets its own method, as upstream.
                    child_spec._predict(child, seen_here[:], ahead + 1, mask)
                    continue
                enter(child_spec, child, seen_here[:], ahead + 1)
                break
        else:
            frames.pop()


def _is_descendant_of(self: Task, task: Task) -> bool:
    """Replace ``Task.is_descendant_of``, which recursed once per ancestor."""
    parent = self.parent
    while parent is not None:
        if parent == task:
            return True
        parent = parent.parent
    return False


def _find_ancestor(self: Task, spec_name: str) -> Task | None:
    """Replace ``Task.find_ancestor``, which recursed once per ancestor."""
    parent = self.parent
    while parent is not None:
        if parent.task_spec.name == spec_name:
            return parent
        parent = parent.parent
    return None


def _remove_task(self: Workflow, task_id: UUID) -> None:
    """Replace ``Workflow._remove_task``, which recursed once per removed level.

    Resetting a long case to an early task removes a chain thousands deep.
    Children are removed before their parent and notified in upstream's order.
    """
    root = self.tasks[task_id]
    frames: list[tuple[Task, Iterator[Task]]] = [(root, iter(root.children))]
    while frames:
        task, children = frames[-1]
        for child in children:
            found = self.tasks[child.id]
            frames.append((found, iter(found.children)))
            break
        else:
            frames.pop()
            task.parent._children.remove(task.id)
            self.tasks.pop(task.id)
            self._task_removed_notify(task)


def _drop_children(self: Task, force: bool = False) -> None:
    """Replace ``Task._drop_children``, which recursed through finished children."""
    # One frame per upstream call: (task, children still to look at, children to drop).
    frames: list[tuple[Task, Iterator[Task], list[Task]]] = [(self, iter(self.children), [])]
    while frames:
        task, children, drop = frames[-1]
        for child in children:
            if (force and task is self) or child.has_state(TaskState.NOT_FINISHED_MASK):
                drop.append(child)
            else:
                # Upstream recurses with force=False below the first level.
                frames.append((child, iter(child.children), []))
                break
        else:
            frames.pop()
            for dropped in drop:
                task.workflow._remove_task(dropped.id)


def _cancel(self: Task) -> None:
    """Replace ``Task.cancel``, which recursed through finished descendants.

    ``Workflow.cancel`` and boundary events cancel from the root of a long case.
    """
    frames: list[Iterator[Task]] = [iter([self])]
    while frames:
        for task in frames[-1]:
            if task.has_state(TaskState.FINISHED_MASK):
                frames.append(iter(task.children))
                break
            task._set_state(TaskState.CANCELLED)
            task._drop_children()
            task.task_spec._on_cancel(task)
        else:
            frames.pop()


def apply() -> None:
    """Install the iterative walks."""
    TaskSpec._predict = _predict
    Task.is_descendant_of = _is_descendant_of
    Task.find_ancestor = _find_ancestor
    Task._drop_children = _drop_children
    Task.cancel = _cancel
    Workflow._remove_task = _remove_task
