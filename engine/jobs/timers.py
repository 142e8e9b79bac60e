"""Job handlers that move cases on: due timers and retries of failed service calls."""

from __future__ import annotations

import logging
from datetime import timedelta
from uuid import UUID

from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine.core import audit, clock
from engine.core.actors import SYSTEM
from engine.models import Job
from engine.runtime.case_runner import lock_case, open_live, run_steps, store
from engine.runtime.engine import Engine
from engine.runtime.sync import timer_due

log = logging.getLogger(__name__)


def fire_timer(rt: Engine, session: Session, job: Job) -> None:
    """Let the case's due timers fire and run it until it waits again."""
    if job.case_id is None:
        return
    case = lock_case(session, job.case_id)
    if case.status != "running":
        return
    live = open_live(rt, session, case)
    task = live.workflow.get_task_from_id(UUID(job.key)) if job.key else None
    if task is not None and task.has_state(TaskState.WAITING) and job.due_at > clock.now():
        # claimed a little early (clock skew between workers): come back at the due time
        job.status = "pending"
        job.locked_by = None
        rt.hold(session, live)
        return
    run_steps(rt, case, live, refresh_timers=True)
    store(rt, session, case, live)
    if task is not None and task.has_state(TaskState.WAITING) and timer_due(task) == job.due_at:
        # SpiffWorkflow compares with '<': at the exact due instant it has not fired yet
        job.status = "pending"
        job.locked_by = None
        job.due_at = job.due_at + timedelta(milliseconds=50)
        return
    audit.record(session, "engine", "timer.fired", case_id=case.id, task_id=job.key,
                 element_id=task.task_spec.name if task is not None else None,
                 due_at=job.due_at.isoformat())


def retry_service(rt: Engine, session: Session, job: Job) -> None:
    """Try a failed service task again, if the case still stops at it."""
    from engine.casework.cases import run_again

    if job.case_id is None:
        return
    case = lock_case(session, job.case_id)
    if case.status == "error" and case.error_task_id == job.key:
        run_again(rt, session, case, SYSTEM)


def handlers(rt: Engine) -> dict[str, object]:
    """Job handlers by kind: the core kinds and every registered extension kind."""
    from engine.core.extensions import job_handlers
    from engine.jobs.messages import route_thrown

    return {**job_handlers(rt),
            "timer": lambda session, job: fire_timer(rt, session, job),
            "deliver": lambda session, job: route_thrown(rt, session, job),
            "retry": lambda session, job: retry_service(rt, session, job)}
