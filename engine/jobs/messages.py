"""Deliver messages (by name and correlation) and signals to the cases waiting for them."""

from __future__ import annotations

import copy
from typing import Any

from SpiffWorkflow.bpmn import BpmnEvent
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework.advancing import advance
from engine.casework.forms import check_data
from engine.core.actors import SYSTEM, Actor
from engine.core.errors import Conflict, InvalidInput, NotFound
from engine.models import Case, Subscription
from engine.org import roles
from engine.runtime.engine import Engine
from engine.runtime.events import deliverer
from engine.runtime.persistence import LiveCase


def _matches(expected: dict[str, Any], given: dict[str, Any]) -> bool:
    """Whether a case waiting with correlation EXPECTED takes a message correlated GIVEN.

    A case that has no correlation values yet takes any (its first message sets them, and
    delivery checks the names); one that has them takes only a correlation it knows.
    """
    if not expected:
        return True
    return all(k in expected and str(expected[k]) == str(v) for k, v in given.items())


def send_message(rt: Engine, session: Session, name: str, *, actor: Actor,
                 correlation: dict[str, Any] | None = None, payload: Any = None,
                 business_key: str | None = None, all_matching: bool = False) -> list[Case]:
    """Deliver message NAME to the one waiting case it correlates with (or all, if asked)."""
    roles.require(actor, roles.INTEGRATIONS, "send messages")
    if not name:
        raise InvalidInput("a message needs a name")
    if payload is not None:
        check_data(payload, "a message payload")
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
    return [advance(rt, session, cid, actor, "message.received",
                    deliverer(name, body, correlation),
                    message=name, correlation=correlation, payload=body) for cid in case_ids]


def route_thrown(rt: Engine, session: Session, job: Any) -> None:
    """Deliver a message or signal one case threw to the other cases waiting for it."""
    event = job.payload
    name, body, source = event["name"], event.get("payload") or {}, event.get("source_case")
    if event["kind"] == "signal":
        send_signal(rt, session, name, actor=SYSTEM, payload=body, exclude=source)
        return
    given = event.get("correlation") or {}
    for sub in session.scalars(select(Subscription).where(
            Subscription.kind == "message", Subscription.name == name,
            Subscription.case_id != source).order_by(Subscription.case_id)):
        # a waiting case with no correlation value yet takes the first message
        if any(str(sub.correlation[k]) != str(v) for k, v in given.items()
               if k in sub.correlation):
            continue
        advance(rt, session, sub.case_id, SYSTEM, "message.received",
                deliverer(name, body), message=name, correlation=given,
                from_case=source)
        return


def send_signal(rt: Engine, session: Session, name: str, *, actor: Actor,
                payload: Any = None, exclude: int | None = None) -> list[Case]:
    """Broadcast signal NAME to every case waiting for it."""
    from SpiffWorkflow.spiff.specs.event_definitions import SignalEventDefinition

    roles.require(actor, roles.INTEGRATIONS, "send signals")
    if not name:
        raise InvalidInput("a signal needs a name")
    if payload is not None:
        check_data(payload, "a signal payload")
    case_ids = sorted(set(session.scalars(select(Subscription.case_id).where(
        Subscription.kind == "signal", Subscription.name == name,
        Subscription.case_id != (exclude or 0)))))
    body = copy.deepcopy(payload or {})

    def deliver(live: LiveCase, _case: Case) -> None:
        live.workflow.send_event(BpmnEvent(SignalEventDefinition(name), payload=body))

    return [advance(rt, session, cid, actor, "signal.received", deliver, signal=name)
            for cid in case_ids]
