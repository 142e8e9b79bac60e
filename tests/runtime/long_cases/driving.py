"""Drive the looping fixtures: shared by the long-case tests and the depth benchmark."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Model:
    """One looping fixture: file, process id, starting data and user tasks per round."""

    file: str
    process: str
    start: dict[str, int]
    tasks_per_round: int


MODELS = {
    "loop": Model("loop.bpmn", "loop", {"count": 1}, 1),
    "parallel": Model("loop_parallel.bpmn", "loop_parallel", {"count": 1, "tallied": 0}, 2),
    "subprocess": Model("loop_subprocess.bpmn", "loop_subprocess", {"count": 0}, 2),
    "call": Model("loop_call.bpmn", "loop_call", {"count": 0}, 2),
}


def serializer() -> BpmnWorkflowSerializer:
    """Build the serializer the engine uses."""
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


def start(model: Model, rounds: int) -> BpmnWorkflow:
    """Parse the model and start a case that loops ``rounds`` times."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(DATA / model.file))
    spec = parser.get_spec(model.process)
    workflow = BpmnWorkflow(spec, parser.get_subprocess_specs(model.process))
    first = workflow.get_next_task(spec_name="Start")
    assert first is not None
    first.data.update(model.start, limit=rounds)
    workflow.do_engine_steps()
    return workflow


def ready_user_tasks(workflow: BpmnWorkflow) -> list[Task]:
    """Return the READY manual tasks, as an inbox would."""
    return workflow.get_tasks(state=TaskState.READY, manual=True)


def complete(workflow: BpmnWorkflow, task: Task, **data: Any) -> None:
    """Complete one user task the way the engine does and run the engine steps."""
    task.data.update(data)
    task.run()
    workflow.do_engine_steps()


def snapshot(workflow: BpmnWorkflow) -> list[tuple[Any, ...]]:
    """Describe every task (ids, links, states, timestamps, data) for comparisons."""
    rows = []
    for owner in [workflow, *workflow.subprocesses.values()]:
        for task in owner.tasks.values():
            rows.append((
                task.id, task._parent, tuple(task._children), task.state, task.task_spec.name,
                task.last_state_change, task.triggered, repr(task.data), repr(task.internal_data),
            ))
    return sorted(rows, key=repr)
