"""Note which SpiffWorkflow tasks changed, so a save need not scan the whole tree.

A workflow opts in with track(); from then on every task created or whose state
changes is recorded on the top workflow, and every removed task too. Workflows
that are not tracked (tests, tools) pay one attribute lookup per change.
"""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

from SpiffWorkflow.task import Task

_ATTR = "_onething_changes"
_lock = threading.Lock()
_installed = False


class Changes:
    """Tasks touched since the last save, and ids of tasks removed."""

    __slots__ = ("touched", "removed")

    def __init__(self) -> None:
        self.touched: dict[UUID, Any] = {}
        self.removed: set[UUID] = set()

    def take(self) -> tuple[dict[UUID, Any], set[UUID]]:
        touched, removed = self.touched, self.removed
        self.touched, self.removed = {}, set()
        return touched, removed


def _top(workflow: Any) -> Any:
    return getattr(workflow, "top_workflow", None) or workflow


def _note(task: Any) -> None:
    changes = _top(task.workflow).__dict__.get(_ATTR)
    if changes is not None:
        changes.touched[task.id] = task


def track(workflow: Any) -> Changes:
    """Start recording changes on WORKFLOW (idempotent); return the record."""
    install()
    changes: Changes | None = workflow.__dict__.get(_ATTR)
    if changes is None:
        changes = Changes()
        setattr(workflow, _ATTR, changes)
        workflow.task_removed_event.connect(
            lambda _wf, task: changes.removed.add(task.id))
    return changes


def install() -> None:
    """Wrap Task.__init__ and Task._set_state once per process."""
    global _installed
    with _lock:
        if _installed:
            return
        original_init = Task.__init__
        original_set_state = Task._set_state

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            original_init(self, *args, **kwargs)
            _note(self)

        def _set_state(self: Any, value: int) -> None:
            original_set_state(self, value)
            _note(self)

        Task.__init__ = __init__
        Task._set_state = _set_state
        _installed = True
