"""Answer ``get_tasks(state=READY|WAITING|...)`` without walking the whole tree.

``do_engine_steps`` asks for the READY tasks of the workflow (and of every
active subprocess) several times per step, and applications ask for the READY
user tasks after every command.  Upstream walks the task tree from the root
each time, which makes a case of N steps cost O(N^2).

For a BPMN iterator whose result is consumed eagerly (``get_tasks`` builds a
list, ``get_next_task`` takes the first match, so nothing can change between
yields), a state filter made only of "definite" states (FUTURE, WAITING, READY,
STARTED) and no ``end_at_spec``, the walk's answer is computed instead:

1. candidates are the tasks of the workflow family (flat ``tasks`` dicts) that
   the filter matches;
2. a candidate is kept iff the walk would reach it: every ancestor up to the
   walk's root has a state >= FUTURE (or owns a subprocess, which upstream
   always enters).  The answer is memoised per task with an epoch that is bumped
   whenever any task drops below FUTURE, so steady-state checks are O(1);
3. the kept candidates are sorted in the walk's depth-first order by comparing
   paths at their lowest common ancestor (depths are memoised: a task's parent
   never changes in a BPMN workflow).

Anything else falls back to the (unlimited, exact) walk in ``iteration``.  The
shortcut is installed as ``BpmnTaskIterator.__next__``, which upstream inherits
from ``TaskIterator``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cmp_to_key
from typing import Any

from SpiffWorkflow.bpmn.util.task import BpmnTaskFilter, BpmnTaskIterator
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskFilter, TaskIterator, TaskState

from engine.runtime.spiff_patches.iteration import UNLIMITED

UPSTREAM = "3.2.0"  # the SpiffWorkflow release this module was checked against

EAGER = "_onething_eager"
"""Set on an iterator whose caller consumes it without acting between yields."""


class _Inherited:
    """The type of INHERITED."""

    def __repr__(self) -> str:
        return "INHERITED"


INHERITED = _Inherited()
"""A REPLACED value: upstream does not define the attribute on that class (it inherits it)."""

REPLACED: dict[tuple[Any, str], Any] = {
    (BpmnTaskIterator, "__next__"): vars(BpmnTaskIterator).get("__next__", INHERITED),
}
"""What apply() replaces, as found at import: (owner, attribute) -> upstream value."""

_EPOCH = "_onething_epoch"
_REACH = "_onething_reach"
_DEPTH = "_onething_depth"
_PARENT = "_onething_parent"
_FOUND = "_onething_found"
_BPMN_WALK = BpmnTaskIterator._next

# Part of every memo mark, bumped when memoising resumes: states may have changed during
# the pause without an epoch bump, so no mark written before it can be trusted.
_generation = 0
_paused = 0


def bump_epoch(task: Task) -> None:
    """Forget every memoised reachability answer of the task's workflow family."""
    top = task.workflow.top_workflow
    setattr(top, _EPOCH, getattr(top, _EPOCH, 0) + 1)


def pause_memo() -> None:
    """Stop memoising reachability until the matching resume_memo().

    The epoch is bumped by ``scans``; while its patches are lifted (spiff_patches.upstream)
    nothing keeps the memo right, so answers are computed afresh instead.
    """
    global _paused
    _paused += 1


def resume_memo() -> None:
    """Memoise again, trusting no answer memoised before the pause."""
    global _generation, _paused
    _paused = max(_paused - 1, 0)
    _generation += 1


def _mark(top: Any, root: Task, min_state: int) -> tuple[Any, ...] | None:
    """Return the memo mark for walks from ``root``, or None while memoising is paused."""
    if _paused:
        return None
    return (_generation, getattr(top, _EPOCH, 0), root, min_state)


def parent_of(task: Task) -> Task | None:
    """Return ``task.parent``, memoised: a BPMN task's parent never changes."""
    memo = task.__dict__.get(_PARENT)
    if memo is None:
        memo = task.parent
        if memo is not None:
            task.__dict__[_PARENT] = memo
    return memo


def _up(task: Task, top: Any) -> Task | None:
    """Return the task the walk came from: the parent, or the owner of a subprocess."""
    parent = parent_of(task) if task._parent is not None else None
    if parent is None and task.workflow is not top:
        # The owner of a subprocess; upstream's walk cannot reach an orphaned one.
        owner_id = task.workflow.parent_task_id
        for owner in (top, *top.subprocesses.values()):
            if owner_id in owner.tasks:
                return owner.tasks[owner_id]
        return None
    return parent


def _depth(task: Task, top: Any) -> int:
    """Return the task's depth in the family tree (memoised, computed iteratively)."""
    chain: list[Task] = []
    current: Task | None = task
    while current is not None and _DEPTH not in current.__dict__:
        chain.append(current)
        current = _up(current, top)
    depth = -1 if current is None else current.__dict__[_DEPTH]
    for item in reversed(chain):
        depth += 1
        item.__dict__[_DEPTH] = depth
    return int(task.__dict__[_DEPTH])


def reachable(task: Task, root: Task, min_state: int) -> bool:
    """Tell whether a depth-first walk from ``root`` with this ``min_state`` reaches ``task``."""
    top = root.workflow.top_workflow
    return _reachable(task, root, top, min_state, _mark(top, root, min_state))


def _reachable(task: Task, root: Task, top: Any, min_state: int,
               mark: tuple[Any, ...] | None) -> bool:
    """Tell whether the depth-first walk from ``root`` reaches ``task`` (memoised under mark)."""
    walked: list[Task] = []
    current = task
    while current is not root:
        if mark is not None and current.__dict__.get(_REACH) == mark:
            break
        walked.append(current)
        parent = _up(current, top)
        if parent is None:
            return False
        if parent._state < min_state and parent.id not in top.subprocesses:
            return False
        current = parent
    if mark is not None:
        for item in walked:
            item.__dict__[_REACH] = mark
    return True


def depth_first_order(tasks: list[Task]) -> list[Task]:
    """Sort tasks of one workflow family in the order a depth-first walk visits them."""
    if len(tasks) < 2:
        return list(tasks)
    top = tasks[0].workflow.top_workflow
    return sorted(tasks, key=cmp_to_key(lambda a, b: _compare(a, b, top)))


def _compare(a: Task, b: Task, top: Any) -> int:
    """Order two tasks as the depth-first walk visits them."""
    depth_a, depth_b = _depth(a, top), _depth(b, top)
    below_a = below_b = None
    while depth_a > depth_b:
        below_a, a, depth_a = a, _up(a, top), depth_a - 1
    while depth_b > depth_a:
        below_b, b, depth_b = b, _up(b, top), depth_b - 1
    while a is not b:
        below_a, a = a, _up(a, top)
        below_b, b = b, _up(b, top)
    if below_a is None:
        return -1 if below_b is not None else 0
    if below_b is None:
        return 1
    return _position(below_a, a) - _position(below_b, a)


def _position(child: Task, parent: Task) -> int:
    """Place of ``child`` among what the walk pushes for ``parent`` (subprocess first)."""
    if child.workflow is not parent.workflow:
        return -1
    return int(parent._children.index(child.id))


def ordered_matches(it: BpmnTaskIterator, root: Task) -> list[Task] | None:
    """Return the walk's matches in order, or None when this shortcut does not apply."""
    task_filter = it.task_filter
    state = task_filter.state
    if (
        type(task_filter) not in (TaskFilter, BpmnTaskFilter)
        or not isinstance(it, BpmnTaskIterator)
        or not it.depth_first
        or it.end_at_spec is not None
        or state & ~TaskState.DEFINITE_MASK
        or not state
    ):
        return None
    workflow = root.workflow
    top = workflow.top_workflow
    families = [workflow.tasks.values()]
    if not it.skip_subprocesses:
        families.extend(
            sub.tasks.values() for sub in top.subprocesses.values() if sub is not workflow
        )
    matches = task_filter.matches
    candidates = [t for tasks in families for t in tasks if t._state & state and matches(t)]
    if not candidates:
        return []
    mark = _mark(top, root, TaskState.FUTURE)
    found = [t for t in candidates if _reachable(t, root, top, TaskState.FUTURE, mark)]
    if it.skip_subprocesses:
        found = [t for t in found if t.workflow is workflow]
    if len(found) > 1:
        found.sort(key=cmp_to_key(lambda a, b: _compare(a, b, top)))
    return found


def _next(self: BpmnTaskIterator) -> Task:
    """Return the next match, from ordered_matches when the iterator is eager and unlimited."""
    found: Iterator[Task] | None = self.__dict__.get(_FOUND)
    if found is None:
        # The shortcut computes what the unlimited upstream walk would yield; anything
        # else (an explicit depth, a custom walk, a lazy caller) takes the walk itself.
        if (
            not self.__dict__.get(EAGER)
            or not self.task_list
            or self.max_depth < UNLIMITED
            or type(self)._next is not _BPMN_WALK
        ):
            return TaskIterator.__next__(self)
        answer = ordered_matches(self, self.task_list[0])
        if answer is None:
            return TaskIterator.__next__(self)
        found = self._onething_found = iter(answer)
        self.task_list = []
    return next(found)


def apply() -> None:
    """Install the READY/WAITING shortcut for eagerly consumed BPMN iterators."""
    BpmnTaskIterator.__next__ = _next
