"""The usual road of a process: the user tasks met from its start when every choice takes
its default way (unless that way only ends the case), in the order they come. The progress
view shows them as the steps to come.
"""

from __future__ import annotations

from typing import Any

# task spec classes walked through without being a step of their own
_SKIPPED = frozenset({"BoundaryEvent"})
_CHOICES = frozenset({"ExclusiveGateway", "InclusiveGateway"})
_LIMIT = 2000  # task specs visited at most: a designer's diagram can be large, never endless


def usual_road(specs: dict[str, tuple[Any, dict[str, Any]]], process_id: str) -> list[str]:
    """The user task ids of PROCESS_ID's default path, first met first ([] when unknown)."""
    found = specs.get(process_id)
    if found is None:
        return []
    top, subprocesses = found
    road: list[str] = []
    _walk(top, subprocesses, road, set(), [0])
    return road


def _walk(spec: Any, subprocesses: dict[str, Any], road: list[str], seen: set[str],
          visits: list[int]) -> None:
    start = spec.task_specs.get("Start")
    if start is None:
        return
    stack: list[Any] = [start]
    while stack and visits[0] < _LIMIT:
        task = stack.pop()
        key = f"{spec.name}:{task.name}"
        if key in seen:
            continue
        seen.add(key)
        visits[0] += 1
        kind = type(task).__name__
        if kind in ("UserTask", "ManualTask") and task.name not in road:
            road.append(task.name)
        inner = _inner_spec(task, spec, subprocesses)
        if inner is not None:
            _walk(inner, subprocesses, road, seen, visits)
        # the stack is last in, first out: push the ways to follow in reverse order
        stack.extend(reversed(_next(task, kind)))


def _inner_spec(task: Any, spec: Any, subprocesses: dict[str, Any]) -> Any:
    """The process a call activity, subprocess or multi-instance body runs, if any."""
    child = getattr(task, "task_spec", None)
    if isinstance(child, str) and child in spec.task_specs:
        task = spec.task_specs[child]
    called = getattr(task, "spec", None)
    if isinstance(called, str):
        return subprocesses.get(called)
    return None


def _next(task: Any, kind: str) -> list[Any]:
    outputs = [o for o in task.outputs if type(o).__name__ not in _SKIPPED]
    if kind in _CHOICES:
        default = getattr(task, "default_task_spec", None)
        ordered = [o for o in outputs if o.name == default] + [
            o for o in outputs if o.name != default]
        # a default way straight into an end event is the exit (returned, refused): the
        # case that goes on takes another way
        onward = [o for o in ordered if not _straight_to_end(o)]
        return (onward or ordered)[:1]
    if kind == "BoundaryEventSplit":
        return outputs[:1]
    return outputs


def _straight_to_end(task: Any) -> bool:
    """Whether TASK is an end event, or events alone lead from it to one."""
    for _step in range(20):
        kind = type(task).__name__
        if kind == "EndEvent":
            return True
        if not kind.endswith("Event") or len(task.outputs) != 1:
            return False
        task = task.outputs[0]
    return False
