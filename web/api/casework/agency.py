"""Agency (代办): grant, list and revoke authorisations for agents to act for an applicant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint

from engine.casework import agency
from engine.core.errors import FieldError, InvalidInput, NotFound
from web.api.validation import Fields, json_object
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("agency", __name__, url_prefix="/agency")



def _moment(value: str | None) -> datetime | None:
    """An ISO 8601 date-time with its offset, or None when the field was left out."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidInput("valid_until is not a date-time", [FieldError(
            "valid_until", "must be an ISO 8601 date-time with an offset "
                           "(2026-12-31T18:00:00+08:00)")])
    return moment


@bp.post("")
def grant() -> tuple[dict[str, Any], int]:
    """Authorise an agent to act for the caller (or, for an admin, for 'principal')."""
    body = Fields(json_object())
    agent = body.text("agent", required=True)
    scope = body.items("scope", required=True)
    until = body.text("valid_until", required=True)
    bundle = body.text("bundle")
    case_id = body.integer("case_id", minimum=1, maximum=MAX_ID)
    principal = body.text("principal")
    body.done()
    assert agent is not None and scope is not None  # done() raised otherwise
    if not all(isinstance(a, str) for a in scope):
        raise InvalidInput("scope lists actions", [FieldError("scope", "must be strings")])
    valid_until = _moment(until)
    assert valid_until is not None
    with transaction() as session:
        made = agency.authorize(session, actor(), agent, scope, valid_until, bundle=bundle,
                                case_id=case_id, for_principal=principal)
        return agency.as_dict(made), 201


@bp.get("")
def mine() -> dict[str, Any]:
    """Authorisations the caller gave (as principal) or holds (as agent)."""
    with transaction() as session:
        rows = agency.mine(session, actor())
        return {"items": [agency.as_dict(a) for a in rows]}


@bp.post("/<int:authorization_id>/revoke")
def revoke(authorization_id: int) -> dict[str, Any]:
    """Withdraw an authorisation (its principal or an admin)."""
    Fields(json_object(optional=True)).done()
    if authorization_id > MAX_ID:
        raise NotFound(f"authorisation {authorization_id} not found")
    with transaction() as session:
        return agency.as_dict(agency.revoke(session, authorization_id, actor()))
