"""Advance a locked case: run the engine until it waits, then store what changed."""

from __future__ import annotations

import logging
import time
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.attributes import set_committed_value

from engine.core import clock
from engine.core.errors import Conflict, NotFound, ScriptLimitExceeded
from engine.core.ports import UnknownOperator
from engine.models import Case, WorkItem
from engine.runtime import case_events, persistence, sync
from engine.runtime.engine import Engine, Limits, spec_of
from engine.runtime.long_case import check_depth, task_count
from engine.runtime.persistence import LiveCase
from engine.runtime.sandbox.limits import command_deadline

log = logging.getLogger(__name__)

_ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR

# Statements of every command are built once: building one costs more than running it
# the shell JSON is read only when the workflow is not in the cache (open_live)
_LOCK = (select(Case).where(Case.id == bindparam("case_id")).with_for_update()
         .options(defer(Case.workflow_state)).execution_options(populate_existing=True))
_LOCK_OF_ITEM = (select(Case).where(Case.id == select(WorkItem.case_id).where(
    WorkItem.id == bindparam("item_id")).scalar_subquery()).with_for_update()
    .options(defer(Case.workflow_state)).execution_options(populate_existing=True))
_CASES: Table = Case.__table__  # type: ignore[assignment]
# the columns a stored step sets; the case row is written with one statement
_STEP_COLUMNS = ("status", "completed_at", "error_message", "error_element", "error_task_id",
                 "workflow_state", "task_count", "version", "updated_at", "next_timer_at")
_WRITE_CASE = (update(_CASES)
               .where(_CASES.c.id == bindparam("b_id"), _CASES.c.version == bindparam("b_version"))
               .values({name: bindparam(name) for name in _STEP_COLUMNS}))


def lock_case(session: Session, case_id: int) -> Case:
    """Load the case row under a row lock (PostgreSQL) or the write lock (SQLite)."""
    case = session.execute(_LOCK, {"case_id": case_id}).scalar_one_or_none()
    if case is None:
        raise NotFound(f"case {case_id} not found")
    return case


def lock_case_of_item(session: Session, item_id: str) -> Case:
    """Lock the case of work item ITEM_ID, found and locked with one statement."""
    case = session.execute(_LOCK_OF_ITEM, {"item_id": item_id}).scalar_one_or_none()
    if case is None:
        raise NotFound(f"work item {item_id} not found")
    return case


def open_live(rt: Engine, session: Session, case: Case) -> LiveCase:
    """The case's workflow: from the cache when it matches the row's version, else loaded."""
    live = rt.workflows.take(case.id, case.version)
    if live is None:
        bundle = rt.specs.get(session, case.deployment_id)
        spec, subs = spec_of(bundle, case.process_id)
        live = persistence.load(session, case, spec, subs, rt.script_engine)
    return live


class _CommandGuard:
    """Bounds on one command's engine run: steps, wall-clock time and timer firings."""

    def __init__(self, limits: Limits, workflow: Any, deadline: float) -> None:
        self.limits = limits
        self.workflow = workflow
        self.deadline = deadline
        self.steps = 0
        self.timer_steps = 0
        # a cycle timer gets a child per firing and stays waiting: count from here
        self.cycles_before = self._cycle_children()

    def will_complete(self, task: Any) -> None:
        """Count one engine step (before TASK runs) and stop the command past a bound."""
        self.steps += 1
        if self.steps > self.limits.steps_per_command:
            raise ScriptLimitExceeded(
                f"stopped after {self.limits.steps_per_command} engine steps in one command: "
                "the process loops without waiting for anyone")
        if isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition):
            self.timer_steps += 1
        # a clock read costs far less than the step it guards
        if time.monotonic() > self.deadline:
            raise _at(task, ScriptLimitExceeded(
                f"the command ran for more than {self.limits.seconds_per_command} seconds"))
        if self.steps & 15 == 0:
            self.check_timers()

    def check(self) -> None:
        """Stop the command if it is past its deadline or fired too many timers."""
        if time.monotonic() > self.deadline:
            raise ScriptLimitExceeded(
                f"the command ran for more than {self.limits.seconds_per_command} seconds")
        self.check_timers()

    def check_timers(self) -> None:
        """Raise once more timer events fired in this command than the limit allows."""
        fired, busiest, most = self.timer_steps, None, 0
        for task_id, (task, children) in self._cycle_children().items():
            extra = children - self.cycles_before.get(task_id, (task, 0))[1]
            fired += extra
            if extra > most:
                busiest, most = task, extra
        limit = self.limits.timers_per_command
        if fired > limit:
            raise _at(busiest, ScriptLimitExceeded(
                f"timers fired {fired} times in one command, above the limit of {limit}: "
                "a timer repeats faster than the case can be worked"))

    def _cycle_children(self) -> dict[Any, tuple[Any, int]]:
        return {task.id: (task, len(task._children))
                for task in self.workflow.event_manager.tasks.values()
                if isinstance(task.task_spec.event_definition, CycleTimerEventDefinition)}


def _at(task: Any, error: ScriptLimitExceeded) -> ScriptLimitExceeded:
    # mark_error names the element of the task an error carries, as for SpiffWorkflow's
    if task is not None:
        error.task = task  # type: ignore[attr-defined]
    return error


def run_steps(rt: Engine, case: Case, live: LiveCase, *, refresh_timers: bool = False) -> None:
    """Run engine steps until the case waits; a failure becomes the case's error.

    The run is one command's: it stops past rt.limits' steps, seconds and timer
    firings, and every evaluation of model text inside it ends by the same deadline.
    """
    workflow = live.workflow
    try:
        with command_deadline(rt.limits.seconds_per_command) as clock:
            guard = _CommandGuard(rt.limits, workflow, clock.deadline)
            if refresh_timers:
                workflow.refresh_timers()
                guard.check()
            workflow.do_engine_steps(will_complete_task=guard.will_complete)
            # do_engine_steps refreshes timers last, so a timer it finds due (or a cycle
            # it just finished) is only READY; run until nothing more is ready to run
            for _ in range(100):
                guard.check()
                if not _pending_engine_work(workflow):
                    break
                workflow.refresh_timers()
                workflow.do_engine_steps(will_complete_task=guard.will_complete)
            guard.check()
        check_depth(workflow, rt.limits.tasks_per_case)
    except (SpiffWorkflowException, ScriptLimitExceeded) as err:
        mark_error(case, live, err)
    except Exception as err:  # noqa: BLE001 - a model must never take the worker down
        log.exception("unexpected engine failure on case %s", case.id)
        mark_error(case, live, err)


def _pending_engine_work(workflow: Any) -> bool:
    if workflow.get_next_task(state=TaskState.READY, manual=False) is not None:
        return True
    return any(t.internal_data.get("event_fired") and t.has_state(TaskState.WAITING)
               for t in workflow.event_manager.tasks.values())


def mark_error(case: Case, live: LiveCase, err: BaseException) -> None:
    task = getattr(err, "task", None)
    message = _describe(err)
    case.status = "error"
    case.error_message = message[:4000]
    case.error_element = task.task_spec.name if task is not None else _current_element(live)
    case.error_task_id = str(task.id) if task is not None else None
    # an outside system that failed may work next time; a missing connector will not
    cause = getattr(err, "exception", None) or err.__cause__
    spec = task.task_spec if task is not None else None
    retries = getattr(spec, "retries", None)
    live.retry = (retries, getattr(spec, "retry_backoff_base", None)) \
        if retries and not isinstance(cause, UnknownOperator) else None
    log.warning("case %s stopped with an error at %s", case.id, case.error_element)


def _describe(err: BaseException) -> str:
    # SpiffWorkflow's str() appends ". " and its notes even when there are none
    if isinstance(err, SpiffWorkflowException) and err.args:
        text = str(err.args[0])
    else:
        text = str(err) or err.__class__.__name__
    text = text.strip()
    line = getattr(err, "line_number", None)
    if line and f"(line {line})" not in text:
        text += f" (line {line})"
    notes = getattr(err, "notes", None) or getattr(err, "__notes__", None) or []
    extra = [n for n in notes if n and n not in text]
    if extra:
        text += ". " + " ".join(extra)
    return text.strip()


def _current_element(live: LiveCase) -> str | None:
    for task in live.workflow.tasks.values():
        if task.state == TaskState.READY:
            return str(task.task_spec.name)
    return None


def is_really_completed(workflow: Any) -> bool:
    """Completed by our own count: no task anywhere is still ready, waiting or started."""
    if not workflow.is_completed():
        return False
    for wf in [workflow, *workflow.subprocesses.values()]:
        for task in wf.tasks.values():
            if task._state & _ACTIVE:
                return False
    return True


def store(rt: Engine, session: Session, case: Case, live: LiveCase) -> None:
    """Persist the step: tasks, workflow shell, work items, subscriptions, timers, status."""
    workflow = live.workflow
    now = clock.now()
    # what the caller changed goes first, as autoflush would have written it; from here
    # on the step writes with its own statements and the case row last, in one UPDATE
    session.flush()
    previous_status = case.status
    stored_version = case.version
    with session.no_autoflush:
        # set as loaded values, not as changes: write_case writes them, and a session with
        # no changed object skips the unit of work when a listener's query autoflushes
        step: dict[str, Any] = {"workflow_state": persistence.shell_json(live),
                                "task_count": task_count(workflow),
                                "version": stored_version + 1, "updated_at": now}
        if case.status != "error":
            if is_really_completed(workflow):
                step["status"] = "completed" if workflow.success else "cancelled"
                step["completed_at"] = case.completed_at or now
            else:
                step["status"] = "running"
                if case.error_message is not None:
                    step.update(error_message=None, error_element=None, error_task_id=None)
        for name, value in step.items():
            set_committed_value(case, name, value)
        persistence.save(session, live)
        bundle = rt.specs.get(session, case.deployment_id)
        opened, cancelled = sync.work_items(session, case, live, bundle, now)
        sync.waits(session, case, live, now)
        sync.thrown_events(session, case, workflow, now)
        if case.status == "error" and live.retry is not None:
            sync.schedule_retry(session, case, live.retry, now)
            live.retry = None
        write_case(session, case, stored_version)
        live.new = False
    completed, live.completed_item = live.completed_item, None
    case_events.publish(session, case_events.StepEvent(
        case=case, workflow=workflow, previous_status=previous_status, now=now,
        opened=opened, cancelled=cancelled, completed=completed))
    live.version = case.version
    rt.hold(session, live)


def write_case(session: Session, case: Case, stored_version: int) -> None:
    """Write the step's columns of the case row in one statement, checking its version.

    The row is locked, so the version check only fails if the row changed under a
    caller that did not lock it; the written values become the object's loaded state,
    so the session does not write the row a second time.
    """
    values = {name: getattr(case, name) for name in _STEP_COLUMNS}
    result = session.connection().execute(
        _WRITE_CASE, dict(values, b_id=case.id, b_version=stored_version))
    if result.rowcount != 1:
        raise Conflict(f"case {case.number} was changed by another command; try again")
    for name, value in values.items():
        set_committed_value(case, name, value)
