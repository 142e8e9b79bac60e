"""Cheaper whole-workflow questions: completion, READY lookups, bookkeeping.

Upstream answers ``is_completed()`` by walking the task tree from the root until
it meets an unfinished task; in a long case the unfinished tasks are at the
bottom, so every call walks the whole tree.  ``get_tasks``/``get_next_task``
build their answer from a tree walk too.  The replacements give the same answers
from the flat ``tasks`` dict (see ``lookup``) and keep the bookkeeping that the
lookup's memo depends on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskIterator, TaskState
from SpiffWorkflow.workflow import Workflow

from engine.runtime.spiff_patches import lookup
from engine.runtime.spiff_patches.lookup import EAGER

UPSTREAM = "3.2.0"  # the SpiffWorkflow release this module was checked against

_original_set_state: Callable[[Task, int], None] = Task._set_state
_original_delete_subprocess: Callable[..., list[Task]] = BpmnWorkflow.delete_subprocess

REPLACED: dict[tuple[Any, str], Any] = {
    (Workflow, "is_completed"): Workflow.is_completed,
    (Workflow, "get_tasks"): Workflow.get_tasks,
    (Workflow, "get_next_task"): Workflow.get_next_task,
    (Task, "_set_state"): _original_set_state,
    (BpmnWorkflow, "delete_subprocess"): _original_delete_subprocess,
}
"""What apply() replaces, as found at import: (owner, attribute) -> upstream value."""


def _is_completed(self: Workflow) -> bool:
    """Replace ``Workflow.is_completed``: same answer without a tree walk.

    Upstream asks a plain (subprocess-blind) iterator with the NOT_FINISHED mask
    for a first match; that mask includes the predicted states, so the walk
    enters every task, i.e. it sees exactly the tasks of ``self.tasks``.
    """
    if not self.completed:
        # Newest first: unfinished tasks are usually the most recently created.
        mask = TaskState.NOT_FINISHED_MASK
        if not any(t._state & mask for t in reversed(self.tasks.values())):
            self.completed = True
    return bool(self.completed)


def _get_tasks(self: Workflow, first_task: Task | None = None, **kwargs: Any) -> list[Task]:
    """Replace ``Workflow.get_tasks``; marks the iterator as consumed eagerly."""
    iterator = self.get_tasks_iterator(first_task, **kwargs)
    iterator.__dict__[EAGER] = True
    return list(iterator)


def _get_next_task(self: Workflow, first_task: Task | None = None, **kwargs: Any) -> Task | None:
    """Replace ``Workflow.get_next_task``; marks the iterator as consumed eagerly."""
    iterator: TaskIterator = self.get_tasks_iterator(first_task, **kwargs)
    iterator.__dict__[EAGER] = True
    return next(iterator, None)


def _set_state(self: Task, value: int) -> None:
    """Wrap ``Task._set_state``: a task dropping below FUTURE or COMPLETED voids the memo."""
    old = self._state
    if (
        (value < TaskState.FUTURE <= old or value < TaskState.COMPLETED <= old)
        and hasattr(self.workflow, "top_workflow")
    ):
        lookup.bump_epoch(self)
    _original_set_state(self, value)


def _delete_subprocess(self: BpmnWorkflow, my_task: Task) -> list[Task]:
    """Wrap ``BpmnWorkflow.delete_subprocess``: walks no longer enter the removed tree."""
    lookup.bump_epoch(my_task)
    return _original_delete_subprocess(self, my_task)


def apply() -> None:
    """Install the cheaper scans."""
    Workflow.is_completed = _is_completed
    Workflow.get_tasks = _get_tasks
    Workflow.get_next_task = _get_next_task
    Task._set_state = _set_state
    BpmnWorkflow.delete_subprocess = _delete_subprocess
