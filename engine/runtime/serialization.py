"""SpiffWorkflow serializer set-up and the JSON form of one task and of a workflow's shell."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG


def _make_serializer() -> BpmnWorkflowSerializer:
    registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
    registry.register(date, lambda d: {"value": d.isoformat()},
                      lambda d: date.fromisoformat(d["value"]))
    registry.register(Decimal, lambda d: {"value": str(d)}, lambda d: Decimal(d["value"]))
    return BpmnWorkflowSerializer(registry)


SERIALIZER = _make_serializer()
_REGISTRY = SERIALIZER.registry
_ENCODER = SERIALIZER._encoder_cls



def dumps(obj: Any) -> str:
    """Encode OBJ (task data may hold dates, decimals, UUIDs) as compact JSON."""
    return json.dumps(obj, cls=_ENCODER, separators=(",", ":"), ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def task_json(task: Any) -> str:
    """Serialise one task (its data stored as a delta from its parent) to JSON text."""
    _REGISTRY._encoder_mode = True
    try:
        return dumps(_REGISTRY.convert(task))
    finally:
        _REGISTRY._encoder_mode = False


def blank_key(task: Any) -> tuple[Any, ...] | None:
    """What task_json(TASK) depends on, for a task with no data or internal data of its own.

    A predicted task (FUTURE, LIKELY, MAYBE) usually has neither; its JSON is then fixed
    by this tuple, which costs far less to build and compare than the JSON itself. None
    when the task holds data (or is a root), whose JSON must be built to be compared.
    """
    parent = task.parent
    if task.data or task.internal_data or parent is None:
        return None
    return (task._state, task.last_state_change, task.triggered, tuple(task._children),
            tuple(parent.data))


def _shell_of(workflow: Any) -> dict[str, Any]:
    # Mirrors SpiffWorkflow's WorkflowConverter.to_dict without touching the
    # tasks, so saving a step costs nothing per task already stored.
    last = workflow.last_task
    return {
        "typename": _REGISTRY.typenames[type(workflow)],
        "data": _REGISTRY.convert(_REGISTRY.clean(workflow.data)),
        "correlations": workflow.correlations,
        "last_task": str(last.id) if last is not None else None,
        "success": workflow.success,
        "completed": workflow.completed,
        "root": str(workflow.task_tree.id),
    }


def workflow_shell(workflow: Any) -> dict[str, Any]:
    """Workflow-level state of the top workflow and each subworkflow, without tasks or specs."""
    _REGISTRY._encoder_mode = True
    try:
        top = _shell_of(workflow)
        top["bpmn_events"] = _REGISTRY.convert(workflow.bpmn_events)
        subs = {}
        for sp_id, sp in workflow.subprocesses.items():
            shell = _shell_of(sp)
            shell["parent_task_id"] = str(sp.parent_task_id)
            shell["spec"] = sp.spec.name
            subs[str(sp_id)] = shell
    finally:
        _REGISTRY._encoder_mode = False
    return {"version": SERIALIZER.VERSION, "top": top, "subprocesses": subs}


def restore_workflow(shell: dict[str, Any], tasks: dict[str, dict[str, dict[str, Any]]],
                     spec: Any, subprocess_specs: dict[str, Any]) -> Any:
    """Rebuild a workflow from its shell and task dicts (grouped by workflow id, parents first)."""
    top = dict(shell["top"])
    top["tasks"] = tasks.get("", {})
    top["spec"] = spec
    top["subprocess_specs"] = dict(subprocess_specs)
    top["subprocesses"] = {
        sp_id: dict(sp, tasks=tasks.get(sp_id, {})) for sp_id, sp in shell["subprocesses"].items()
    }
    top[SERIALIZER.VERSION_KEY] = shell.get("version", SERIALIZER.VERSION)
    SERIALIZER.migrate(top)
    return SERIALIZER.from_dict(top)
