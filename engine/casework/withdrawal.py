"""Withdraw (撤回): the applicant takes an application back before it is decided.

A bundle offers withdrawal by waiting for the message ``withdraw`` (an interrupting
boundary event on its department stage, say). Only the case's applicant, or an agent it
authorised for the whole chain (scope 'all'), may send it, and only to that one case;
the integration API's message route stays for outside systems.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework import agency, permissions
from engine.casework.advancing import advance
from engine.casework.cases import get_case
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, Forbidden, InvalidInput
from engine.models import Case, Subscription
from engine.runtime.engine import Engine
from engine.runtime.events import deliverer

MESSAGE = "withdraw"
MAX_REASON = 500


def may_withdraw(session: Session, case: Case) -> bool:
    """Whether CASE waits for a withdrawal now."""
    return session.scalar(select(Subscription.id).where(
        Subscription.case_id == case.id, Subscription.kind == "message",
        Subscription.name == MESSAGE).limit(1)) is not None


def _acting(session: Session, case: Case, actor: Actor) -> Actor:
    """ACTOR as the applicant of CASE, or as its agent for the whole chain."""
    if case.applicant and actor.username == case.applicant and actor.on_behalf_of is None:
        return actor
    if case.applicant and agency.active_for(session, actor, case.applicant, "all",
                                            case) is not None:
        return Actor(actor.username, actor.groups, on_behalf_of=case.applicant)
    raise Forbidden.of("only the applicant of case %(case)s (or its agent for the whole "
                       "chain) may withdraw it", case=case.number)


def withdraw(rt: Engine, session: Session, case_ref: int | str, actor: Actor,
             reason: str) -> Case:
    """Send the withdrawal with REASON to the case CASE_REF, as its applicant."""
    case = get_case(session, case_ref)
    permissions.check_visible(session, case, actor)
    who = _acting(session, case, actor)
    text = (reason or "").strip()
    if not text or len(text) > MAX_REASON:
        raise InvalidInput.of("say why the application is withdrawn", [FieldError(
            "reason", f"must be 1 to {MAX_REASON} characters", "maxLength",
            {"limit": MAX_REASON})])
    if case.status != "running" or not may_withdraw(session, case):
        if case.status != "running":
            raise Conflict.of("case %(case)s can no longer be withdrawn", case=case.number)
        raise Conflict.of("case %(case)s can no longer be withdrawn (its decisions are made, "
                          "or it offers no withdrawal)", case=case.number)
    body = {"reason": text}
    return advance(rt, session, case.id, who, "case.withdrawn",
                   deliverer(MESSAGE, body), message=MESSAGE, payload=body)
