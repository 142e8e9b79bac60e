"""One command on a case: lock it, change its workflow, run it until it waits, store it, audit.

Every command that moves a case (a task completed, a message delivered, a case cancelled
or retried) goes through ``advance``; the caller owns the transaction around it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.core import audit
from engine.core.actors import Actor
from engine.models import Case
from engine.runtime.case_runner import lock_case, open_live, run_steps, store
from engine.runtime.engine import Engine
from engine.runtime.sandbox.limits import command_deadline


def advance(rt: Engine, session: Session, case_id: int, actor: Actor, action: str,
            change: Any, *, locked: Case | None = None, **detail: Any) -> Case:
    """Lock the case, apply CHANGE(live) to its workflow, run and store: one command."""
    case = locked if locked is not None else lock_case(session, case_id)
    live = open_live(rt, session, case)
    before = {"status": case.status}
    # the change (a completed task's own scripts) and the steps after it share one deadline
    with command_deadline(rt.limits.seconds_per_command):
        change(live, case)
        run_steps(rt, case, live)
    store(rt, session, case, live)
    audit.record(session, actor, action, case_id=case.id, before=before,
                 after={"status": case.status}, **detail)
    if case.status != before["status"]:
        audit_outcome(session, case)
    return case


def audit_outcome(session: Session, case: Case) -> None:
    """Record how the case ended (completed, cancelled) or that it stopped on an error."""
    if case.status == "error":
        audit.record(session, "engine", "case.error", case_id=case.id,
                     element_id=case.error_element, after={"status": "error"},
                     message=case.error_message)
    elif case.status in ("completed", "cancelled"):
        audit.record(session, "engine", f"case.{case.status}", case_id=case.id,
                     after={"status": case.status})
