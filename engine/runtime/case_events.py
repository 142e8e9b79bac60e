"""After-step listeners: what other parts of onething (commitment clocks, notifications)
learn about each stored command of a case, inside the same transaction.

A listener is a plain function ``listener(session, event)``. It runs after the case's
tasks, work items and waits are written and before the commit, so whatever it writes
commits or rolls back with the step. A listener must not run the case again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.models import Case, WorkItem


@dataclass
class StepEvent:
    """One stored command of one case."""

    case: Case
    # the live workflow (SpiffWorkflow BpmnWorkflow) after the step
    workflow: Any
    previous_status: str | None
    now: datetime
    # work items opened (or reopened) by this step
    opened: list[WorkItem] = field(default_factory=list)
    # ids of work items this step cancelled because their task went away
    cancelled: list[str] = field(default_factory=list)
    # the work item a person or worker completed in this command, if any
    completed: WorkItem | None = None

    @property
    def status_changed(self) -> bool:
        """Whether the case status differs from before the step."""
        return self.previous_status != self.case.status


Listener = Callable[[Session, StepEvent], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> Listener:
    """Register LISTENER for every stored step (usable as a decorator); idempotent."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def forget(listener: Listener) -> None:
    """Unregister LISTENER (tests)."""
    if listener in _listeners:
        _listeners.remove(listener)


def publish(session: Session, event: StepEvent) -> None:
    """Hand EVENT to every listener, in registration order."""
    for listener in list(_listeners):
        listener(session, event)
