"""Agency (代办): grant, revoke and check an agent's authorisation to act for an applicant."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from engine.design import deployments
from engine.models import AgencyAuthorization, Case
from engine.org import users

ACTIONS = ("apply", "supplement", "receive_result", "all")
# which action an applicant-lane step is; any other step needs an 'all' authorisation
STEP_ACTIONS = {"supplement": "supplement", "supply_promised": "supplement",
                "choose_delivery": "receive_result"}


def action_for(element_id: str) -> str:
    """The agency action a task of ELEMENT_ID counts as."""
    return STEP_ACTIONS.get(element_id, "all")


def authorize(session: Session, principal: Actor, agent_username: str, scope: Iterable[str],
              valid_until: datetime, bundle: str | None = None, case_id: int | None = None,
              *, for_principal: str | None = None) -> AgencyAuthorization:
    """Record that PRINCIPAL lets AGENT_USERNAME act for it (an admin may name FOR_PRINCIPAL)."""
    owner = principal.username
    if for_principal is not None and for_principal != owner:
        if not principal.is_admin:
            raise Forbidden(f"{principal.username} may only authorise agents for themselves")
        owner = for_principal
        users.get_user(session, owner)
    if principal.on_behalf_of is not None:
        raise Forbidden("an agent may not pass its authorisation on")
    actions = sorted(set(scope))
    errors = [FieldError("scope", f"unknown action '{a}'; use {', '.join(ACTIONS)}")
              for a in actions if a not in ACTIONS]
    if not actions:
        errors.append(FieldError("scope", "name at least one action"))
    now = clock.now()
    if valid_until.tzinfo is None:
        errors.append(FieldError("valid_until", "needs a time zone"))
    elif valid_until <= now:
        errors.append(FieldError("valid_until", "must be in the future"))
    if agent_username == owner:
        errors.append(FieldError("agent", "an applicant cannot be its own agent"))
    if errors:
        raise InvalidInput("the authorisation has errors", errors)
    users.get_user(session, agent_username)
    if case_id is not None:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(f"case {case_id} not found")
        bundle = bundle or case.bundle_key
    grant = AgencyAuthorization(principal=owner, agent=agent_username, scope=actions,
                                bundle_key=bundle, case_id=case_id, valid_from=now,
                                valid_until=valid_until, revoked=False, created_at=now,
                                created_by=principal.label)
    session.add(grant)
    session.flush()
    audit.record(session, principal, "agency.granted", case_id=case_id,
                 after=as_dict(grant), authorization=grant.id)
    return grant


def revoke(session: Session, authorization_id: int, actor: Actor) -> AgencyAuthorization:
    """Withdraw an authorisation (its principal or an admin)."""
    grant = get(session, authorization_id)
    if not actor.is_admin and (actor.username != grant.principal or actor.on_behalf_of):
        raise Forbidden(f"only {grant.principal} or an administrator may revoke this")
    if grant.revoked:
        raise Conflict(f"authorisation {grant.id} is already revoked")
    grant.revoked, grant.revoked_at, grant.revoked_by = True, clock.now(), actor.label
    audit.record(session, actor, "agency.revoked", case_id=grant.case_id,
                 before={"revoked": False}, after={"revoked": True}, authorization=grant.id)
    return grant


def get(session: Session, authorization_id: int) -> AgencyAuthorization:
    grant = session.get(AgencyAuthorization, authorization_id)
    if grant is None:
        raise NotFound(f"authorisation {authorization_id} not found")
    return grant


def mine(session: Session, actor: Actor) -> list[AgencyAuthorization]:
    """Authorisations ACTOR gave (as principal) or holds (as agent), newest first."""
    return list(session.scalars(
        select(AgencyAuthorization)
        .where(or_(AgencyAuthorization.principal == actor.username,
                   AgencyAuthorization.agent == actor.username))
        .order_by(AgencyAuthorization.id.desc())))


def _standing(grant: AgencyAuthorization, case: Case | None, bundle: str | None,
              now: datetime) -> str | None:
    """Why GRANT is not in force for CASE (or a new case of BUNDLE) now; None if it is."""
    if grant.revoked:
        return f"authorisation {grant.id} was revoked"
    if grant.valid_until <= now:
        return f"authorisation {grant.id} expired at {grant.valid_until.isoformat()}"
    if grant.valid_from > now:
        return f"authorisation {grant.id} is valid only from {grant.valid_from.isoformat()}"
    wanted_bundle = case.bundle_key if case is not None else bundle
    if grant.bundle_key is not None and grant.bundle_key != wanted_bundle:
        return f"authorisation {grant.id} covers only bundle '{grant.bundle_key}'"
    if grant.case_id is not None and (case is None or grant.case_id != case.id):
        return f"authorisation {grant.id} covers only case {grant.case_id}"
    return None


def refusal(grant: AgencyAuthorization, action: str, case: Case | None, bundle: str | None,
            now: datetime) -> str | None:
    """Why GRANT does not cover ACTION on CASE (or a new case of BUNDLE) now; None if it does."""
    reason = _standing(grant, case, bundle, now)
    if reason is None and action not in grant.scope and "all" not in grant.scope:
        reason = (f"'{action}' is out of the scope of authorisation {grant.id} "
                  f"({', '.join(grant.scope)})")
    return reason


def _grants(session: Session, agent: str, principal: str) -> list[AgencyAuthorization]:
    return list(session.scalars(
        select(AgencyAuthorization)
        .where(AgencyAuthorization.agent == agent, AgencyAuthorization.principal == principal)
        .order_by(AgencyAuthorization.id.desc())))


def active_for(session: Session, agent: Actor, principal: str, action: str, case: Case | None,
               *, bundle: str | None = None) -> AgencyAuthorization | None:
    """The authorisation that lets AGENT do ACTION for PRINCIPAL on CASE now, if any."""
    now = clock.now()
    for grant in _grants(session, agent.username, principal):
        if refusal(grant, action, case, bundle, now) is None:
            return grant
    return None


def acting_as(session: Session, agent: Actor, principal: str, action: str, case: Case | None,
              *, bundle: str | None = None) -> Actor:
    """AGENT acting for PRINCIPAL, or Forbidden saying why the agent may not."""
    if agent.on_behalf_of is not None and agent.on_behalf_of != principal:
        raise Forbidden(f"{agent.label} cannot act for {principal} at the same time")
    grants = _grants(session, agent.username, principal)
    if not grants:
        raise Forbidden(f"{agent.username} holds no authorisation to act for {principal}")
    now = clock.now()
    reasons = [refusal(g, action, case, bundle, now) for g in grants]
    if None not in reasons:
        # the newest authorisation is the one the people concerned have in mind
        raise Forbidden(f"{agent.username} may not act for {principal}: {reasons[0]}")
    return Actor(agent.username, agent.groups, on_behalf_of=principal)


def for_start(session: Session, agent: Actor, principal: str, key: str, *,
              version: int | None = None) -> Actor:
    """AGENT acting for PRINCIPAL to start a case of KEY (needs the scope 'apply').

    The case is then for the principal: its own steps (supplement, delivery) reach the
    principal's inbox, and the agent's while its authorisation covers them.
    """
    dep, _process = deployments.find_start(session, key, version)
    return acting_as(session, agent, principal, "apply", None, bundle=dep.bundle_key)


def as_dict(grant: AgencyAuthorization) -> dict[str, Any]:
    return {"id": grant.id, "principal": grant.principal, "agent": grant.agent,
            "scope": list(grant.scope), "bundle": grant.bundle_key, "case_id": grant.case_id,
            "valid_from": grant.valid_from.isoformat(),
            "valid_until": grant.valid_until.isoformat(), "revoked": grant.revoked,
            "revoked_at": grant.revoked_at.isoformat() if grant.revoked_at else None,
            "revoked_by": grant.revoked_by, "created_at": grant.created_at.isoformat(),
            "created_by": grant.created_by}
