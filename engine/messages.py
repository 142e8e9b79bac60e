"""Deliver messages (by name and correlation) and signals to the cases waiting for them."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from .actors import Actor
from .cases import advance
from .errors import Conflict, InvalidInput, NotFound
from .models import Case, Subscription
from .persistence import LiveCase
from .runtime import Engine


def _matches(expected: dict[str, Any], given: dict[str, Any]) -> bool:
    return all(str(expected.get(k)) == str(v) for k, v in given.items())


def send_message(rt: Engine, session: Session, name: str, *, actor: Actor,
                 correlation: dict[str, Any] | None = None, payload: Any = None,
                 business_key: str | None = None, all_matching: bool = False) -> list[Case]:
    """Deliver message NAME to the one waiting case it correlates with (or all, if asked)."""
    if not name:
        raise InvalidInput("a message needs a name")
    if payload is not None and not isinstance(payload, dict):
        raise InvalidInput("a message payload must be a JSON object")
    correlation = correlation or {}
    query = select(Subscription).where(Subscription.kind == "message",
                                       Subscription.name == name)
    if business_key:
        query = query.join(Case, Case.id == Subscription.case_id).where(
            Case.business_key == business_key)
    subs = [s for s in session.scalars(query) if _matches(s.correlation, correlation)]
    case_ids = sorted({s.case_id for s in subs})
    if not case_ids:
        raise NotFound(f"no case is waiting for message '{name}'"
                       + (f" with {correlation}" if correlation else ""))
    if len(case_ids) > 1 and not all_matching:
        raise Conflict(f"{len(case_ids)} cases wait for message '{name}'; give a correlation "
                       "or business key that picks one, or ask to deliver to all")
    body = copy.deepcopy(payload or {})

    def deliver(live: LiveCase, _case: Case) -> None:
        wf = live.workflow
        waiting = [t for t in wf.event_manager.tasks.values()
                   if t.has_state(TaskState.WAITING | TaskState.READY)
                   and getattr(t.task_spec.event_definition, "name", None) == name]
        if not waiting:
            raise Conflict(f"case {live.case_id} no longer waits for message '{name}'")
        ed = waiting[0].task_spec.event_definition
        corr = ed.calculate_correlations(wf.script_engine, ed.correlation_properties, body)
        wf.send_event(BpmnEvent(ed, payload=body, correlations=corr))

    return [advance(rt, session, cid, actor, "message.received", deliver, message=name,
                    correlation=correlation, payload=body) for cid in case_ids]


def send_signal(rt: Engine, session: Session, name: str, *, actor: Actor,
                payload: Any = None) -> list[Case]:
    """Broadcast signal NAME to every case waiting for it."""
    from SpiffWorkflow.spiff.specs.event_definitions import SignalEventDefinition

    case_ids = sorted(set(session.scalars(select(Subscription.case_id).where(
        Subscription.kind == "signal", Subscription.name == name))))
    body = copy.deepcopy(payload or {})

    def deliver(live: LiveCase, _case: Case) -> None:
        live.workflow.send_event(BpmnEvent(SignalEventDefinition(name), payload=body))

    return [advance(rt, session, cid, actor, "signal.received", deliver, signal=name)
            for cid in case_ids]
