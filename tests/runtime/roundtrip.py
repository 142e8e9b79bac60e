"""Compare a workflow kept in memory with the same workflow saved and loaded from rows."""

from __future__ import annotations

import json
from typing import Any

from engine.runtime.serialization import dumps


def _norm(value: Any) -> Any:
    return json.loads(dumps(value))


def snapshot(workflow: Any) -> dict[str, Any]:
    """Everything that must survive a save/load: per task state, spec, data, internal data."""
    out: dict[str, Any] = {"data": _norm(workflow.data), "tasks": {},
                           "completed": workflow.is_completed(),
                           "correlations": _norm(workflow.correlations)}
    for wf in [workflow, *workflow.subprocesses.values()]:
        for tid, task in wf.tasks.items():
            out["tasks"][str(tid)] = {
                "spec": task.task_spec.name, "state": task.state,
                "parent": str(task.parent.id) if task.parent else None,
                "children": [str(c.id) for c in task.children],
                "data": _norm(task.data), "internal": _norm(task.internal_data),
            }
    return out


def diff(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    problems = []
    for key in ("data", "completed", "correlations"):
        if expected[key] != actual[key]:
            problems.append(f"{key}: {expected[key]!r} != {actual[key]!r}")
    exp, act = expected["tasks"], actual["tasks"]
    for tid in exp.keys() - act.keys():
        problems.append(f"task {exp[tid]['spec']} {tid} missing after load")
    for tid in act.keys() - exp.keys():
        problems.append(f"task {act[tid]['spec']} {tid} appeared after load")
    for tid in exp.keys() & act.keys():
        for field, value in exp[tid].items():
            if act[tid][field] != value:
                problems.append(f"task {exp[tid]['spec']} {field}: "
                                f"{value!r} != {act[tid][field]!r}")
    return problems
