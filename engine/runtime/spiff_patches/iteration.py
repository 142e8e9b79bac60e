"""Unlimited, faster task-tree iteration (replaces ``TaskIterator._next`` walking).

Upstream ``TaskIterator`` (and ``BpmnTaskIterator``) default to ``max_depth=1000``
and stop descending below it.  A loop of ~330 iterations of a three-task cycle
is deeper than that, after which ``get_tasks``, ``do_engine_steps`` and
``is_completed`` no longer see the READY task: the case looks completed.

This module:

* changes the ``max_depth`` default of both iterators to "unlimited"; a caller
  that passes an explicit ``max_depth`` keeps upstream's exact behaviour;
* for unlimited iterators, replaces upstream's ``_next`` (``list.pop(0)``, list
  concatenation and depth bookkeeping on every task) with a generator that
  visits the same tasks in the same order, with the same lazy semantics
  (children are captured when their parent is visited, the filter is checked
  when a task is reached);
* before walking, scans the workflow's flat ``tasks`` dict(s): if no task at
  all is in a state the filter accepts, the walk could yield nothing, so it is
  skipped.  This makes the frequent "any WAITING task?" scan of
  ``update_waiting_tasks`` (run after every completion) O(tasks) with a tiny
  constant instead of a full tree walk.

Eagerly consumed BPMN iterators are answered without a walk by ``lookup``, which
hooks ``BpmnTaskIterator.__next__`` and falls back to the walk here.
"""

from __future__ import annotations

import inspect
import sys
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from SpiffWorkflow.bpmn.util.task import BpmnTaskFilter, BpmnTaskIterator
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskFilter, TaskIterator, TaskState

UPSTREAM = "3.2.0"  # the SpiffWorkflow release this module was checked against

UNLIMITED = sys.maxsize
"""The depth used when a caller does not ask for a limit."""

_UPSTREAM_DEPTH = 1000
_PLAIN_FILTERS = (TaskFilter, BpmnTaskFilter)
_original_next: Callable[[TaskIterator], Task] = TaskIterator.__next__
_walk_methods = (TaskIterator._next, BpmnTaskIterator._next)

REPLACED: dict[tuple[Any, str], Any] = {
    (TaskIterator, "__next__"): _original_next,
    # Function objects, not classes: apply() rewrites their max_depth default.
    (TaskIterator.__init__, "__defaults__"): TaskIterator.__init__.__defaults__,
    (BpmnTaskIterator.__init__, "__defaults__"): BpmnTaskIterator.__init__.__defaults__,
}
"""What apply() replaces, as found at import: (owner, attribute) -> upstream value."""


def _unlimited_defaults(func: Callable[..., Any]) -> None:
    """Swap the default ``max_depth=1000`` of an iterator ``__init__`` for UNLIMITED."""
    params = [
        p for p in inspect.signature(func).parameters.values()
        if p.default is not inspect.Parameter.empty and p.kind is p.POSITIONAL_OR_KEYWORD
    ]
    names = [p.name for p in params]
    defaults = list(func.__defaults__ or ())
    if "max_depth" not in names or len(defaults) != len(names):
        raise RuntimeError(f"unexpected signature for {func.__qualname__}; cannot patch")
    index = names.index("max_depth")
    if defaults[index] not in (_UPSTREAM_DEPTH, UNLIMITED):
        raise RuntimeError(f"unexpected max_depth default in {func.__qualname__}")
    defaults[index] = UNLIMITED
    func.__defaults__ = tuple(defaults)


def _any_in_state(root: Task, state: int, with_subprocesses: bool) -> bool:
    """Tell whether the root or any task its walk could reach has a state in ``state``."""
    if root._state & state:
        return True
    workflow = root.workflow
    # Newest tasks come last in the dict and unfinished tasks are usually new.
    if any(t._state & state for t in reversed(workflow.tasks.values())):
        return True
    if with_subprocesses:
        for sub in workflow.top_workflow.subprocesses.values():
            if any(t._state & state for t in sub.tasks.values()):
                return True
    return False


def _walk(it: TaskIterator, root: Task) -> Iterator[Task]:
    """Yield what upstream ``_next``/``__next__`` would, without a depth limit."""
    task_filter = it.task_filter
    bpmn = isinstance(it, BpmnTaskIterator)
    skip_subprocesses = bpmn and bool(it.skip_subprocesses)
    if type(task_filter) in _PLAIN_FILTERS and not _any_in_state(
        root, task_filter.state, bpmn and not skip_subprocesses
    ):
        return
    matches = task_filter.matches
    min_state, end_at_spec = it.min_state, it.end_at_spec
    depth_first, filter_state = it.depth_first, task_filter.state
    # Upstream looks this up per task through each task's workflow; every task of
    # one tree shares the same top workflow, so one lookup is equivalent.
    subprocesses = root.workflow.top_workflow.subprocesses if bpmn else {}
    # A stack gives upstream's depth-first order (children pushed in reverse), a
    # queue its breadth-first order; both avoid upstream's O(n) list.pop(0).
    pending: deque[Task] = deque([root])
    take = pending.pop if depth_first else pending.popleft
    while pending:
        task = take()
        subprocess = subprocesses.get(task.id) if bpmn else None
        if (
            (task._children or subprocess is not None)
            and (task._state >= min_state or subprocess is not None)
            and task.task_spec.name != end_at_spec
        ):
            tasks = task.workflow.tasks
            children = [tasks.get(child) for child in task._children]
            # Same odd test as upstream: a single state is never >= FINISHED_MASK,
            # so subprocess trees are always entered.
            if (
                subprocess is None
                or skip_subprocesses
                or (task._state >= TaskState.FINISHED_MASK
                    and filter_state <= TaskState.FINISHED_MASK)
            ):
                sub_roots = []
            else:
                sub_roots = [subprocess.task_tree]
            if depth_first:
                pending.extend(reversed(sub_roots + children))
            else:
                pending.extend(children + sub_roots)
        if matches(task):
            yield task


def _next(self: TaskIterator) -> Task:
    """Return the next matching task, walking without depth bookkeeping when unlimited."""
    walk = self.__dict__.get("_onething_walk")
    if walk is None:
        if self.max_depth < UNLIMITED or type(self)._next not in _walk_methods:
            return _original_next(self)
        if not self.task_list:
            raise StopIteration()
        walk = self._onething_walk = _walk(self, self.task_list[0])
        self.task_list = []
    return next(walk)


def apply() -> None:
    """Install unlimited-depth defaults and the fast walk."""
    _unlimited_defaults(TaskIterator.__init__)
    _unlimited_defaults(BpmnTaskIterator.__init__)
    TaskIterator.__next__ = _next
