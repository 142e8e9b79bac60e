"""The script engine every onething workflow runs with: sandboxed scripts and service ports."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from engine.core.ports import ServicePort, UnknownOperator
from engine.runtime.sandbox import Limits, SandboxEnvironment, error_line, timers

_TIMER_KINDS = (
    (spiff_timer.CycleTimerEventDefinition, "cycle"),
    (spiff_timer.DurationTimerEventDefinition, "duration"),
    (spiff_timer.TimeDateEventDefinition, "date"),
)

logger = logging.getLogger(__name__)


class OnethingScriptEngine(PythonScriptEngine):  # type: ignore[misc]
    """Run BPMN/DMN text in the sandbox and service tasks through a ServicePort."""

    def __init__(self, services: ServicePort | None = None, step_budget: int = 100_000,
                 functions: Mapping[str, Callable[..., Any]] | None = None,
                 timer_floor: float = timers.TIMER_FLOOR_SECONDS) -> None:
        self.sandbox = SandboxEnvironment(functions, Limits(steps=step_budget))
        super().__init__(environment=self.sandbox)
        self.services = services
        self.timer_floor = timer_floor

    def evaluate(self, task: Task, expression: str,
                 external_context: Mapping[str, Any] | None = None) -> Any:
        """Return the value of EXPRESSION over the task's data (a timer's held to the floor)."""
        try:
            value = self.sandbox.evaluate(expression, task.data, external_context)
            kind = _timer_kind(task, expression)
            return value if kind is None else self._timer_value(task, kind, value)
        except SpiffWorkflowException as exc:
            exc.add_note(f"Error evaluating expression '{expression.strip()}'")
            raise
        except Exception as exc:
            message = f"Error evaluating expression '{expression.strip()}': {_describe(exc)}"
            raise _task_error(task, message, expression.strip(), exc) from exc

    def _timer_value(self, task: Task, kind: str, value: Any) -> Any:
        if kind == "cycle":
            timers.check_cycle(value, self.timer_floor)
            return value
        now = spiff_timer.datetime.now(spiff_timer.timezone.utc)  # the engine's clock
        return timers.floored(kind, value, self.timer_floor, now, lambda: _fired_before(task))

    def execute(self, task: Task, script: str,
                external_context: Mapping[str, Any] | None = None) -> bool:
        """Run SCRIPT over the task's data; on error the data is left as it was."""
        try:
            return self.sandbox.execute(script, task.data, external_context)
        except SpiffWorkflowException:
            raise
        except Exception as exc:
            raise _task_error(task, _describe(exc), script, exc) from exc

    def call_service(self, task: Task, operation_name: str,
                     operation_params: Mapping[str, Mapping[str, Any]], **kwargs: Any) -> str:
        """Call the service port; return its result as the JSON string spiff expects."""
        params = {name: spec["value"] for name, spec in operation_params.items()}
        try:
            if self.services is None:
                raise UnknownOperator(operation_name)
            result = self.services.call(operation_name, params)
            return json.dumps(result)
        except UnknownOperator as exc:
            message = f"no connector is configured for service operator '{operation_name}'"
            raise WorkflowTaskException(message, task=task, exception=exc) from exc
        except Exception as exc:
            logger.warning("service operator %s failed on task %s: %s",
                           operation_name, task.id, type(exc).__name__)
            message = f"service operator '{operation_name}' failed: {_describe(exc)}"
            raise WorkflowTaskException(message, task=task, exception=exc) from exc


def _timer_kind(task: Task, expression: str) -> str | None:
    """Which timer EXPRESSION is the time of on TASK's event, if it is one."""
    definition = getattr(task.task_spec, "event_definition", None)
    if definition is None:
        return None
    found = definition.event_definitions if isinstance(
        definition, MultipleEventDefinition) else [definition]
    for candidate in found:
        for cls, kind in _TIMER_KINDS:
            if isinstance(candidate, cls) and candidate.expression == expression:
                return kind
    return None


def _fired_before(task: Task) -> bool:
    """Whether the timer of TASK already fired in this case (the case loops through it)."""
    spec = task.task_spec
    top = task.workflow.top_workflow
    for workflow in (top, *top.subprocesses.values()):
        for other in workflow.tasks.values():
            if other.task_spec is spec and other.state == TaskState.COMPLETED:
                return True
    return False


def _describe(exc: BaseException) -> str:
    text = str(exc.args[0]) if exc.args else str(exc)
    if isinstance(exc, SyntaxError):
        text = exc.msg
    return f"{type(exc).__name__}: {text}"


def _task_error(task: Task, message: str, source: str,
                exc: Exception) -> WorkflowTaskException:
    line = exc.lineno if isinstance(exc, SyntaxError) else error_line(exc)
    lines = source.splitlines()
    text = lines[line - 1] if line and 0 < line <= len(lines) else ""
    return WorkflowTaskException(message, task=task, exception=exc, line_number=line,
                                 error_line=text)
