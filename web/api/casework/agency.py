"""Agency (代办): grant, list and revoke authorisations for agents to act for an applicant."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import Blueprint
from pydantic import AwareDatetime, Field

from engine.casework import agency
from engine.core.errors import NotFound
from web.api.declare import Body, Reply, operation
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("agency", __name__, url_prefix="/agency")

Action = Literal["apply", "supplement", "receive_result", "all"]


class GrantAgency(Body):
    """Who may act for whom, in what, until when."""

    agent: str = Field(min_length=1, description="the agent's user name")
    # the engine names the unknown actions on 'scope' itself, so items are any text here
    scope: list[str] = Field(min_length=1, json_schema_extra={"items": {"enum": list(
        agency.ACTIONS)}}, description="the actions the agent may take")
    valid_until: AwareDatetime = Field(strict=False,
                                       description="in the future, with an offset")
    bundle: str | None = Field(None, description="only cases of this bundle")
    case_id: int | None = Field(None, ge=1, le=MAX_ID, description="only this case")
    principal: str | None = Field(None, description="admins only: grant for this user")


class RevokeAgency(Body):
    """Nothing: the authorisation is named by the path."""


class Authorization(Reply):
    """An authorisation (代办授权) of an agent to act for a principal."""

    id: int
    principal: str
    agent: str
    scope: list[Action]
    bundle: str | None = None
    case_id: int | None = None
    valid_from: datetime
    valid_until: datetime
    revoked: bool
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    created_at: datetime
    created_by: str


class AuthorizationList(Reply):
    items: list[Authorization]


@bp.post("")
@operation("grantAgency", tag="agency", body=GrantAgency, ok={201: Authorization},
           errors=("403", "404"))
def grant(json: GrantAgency) -> tuple[dict[str, Any], int]:
    """Authorise an agent to act for the caller (代办)."""
    with transaction() as session:
        made = agency.authorize(session, actor(), json.agent, json.scope, json.valid_until,
                                bundle=json.bundle, case_id=json.case_id,
                                for_principal=json.principal)
        return agency.as_dict(made), 201


@bp.get("")
@operation("listAgency", tag="agency", ok={200: AuthorizationList})
def mine() -> dict[str, Any]:
    """Authorisations the caller gave or holds."""
    with transaction() as session:
        rows = agency.mine(session, actor())
        return {"items": [agency.as_dict(a) for a in rows]}


@bp.post("/<int:authorization_id>/revoke")
@operation("revokeAgency", tag="agency", body=RevokeAgency, optional_body=True,
           ok={200: Authorization}, errors=("403", "404", "409"))
def revoke(authorization_id: int) -> dict[str, Any]:
    """Withdraw an authorisation."""
    if authorization_id > MAX_ID:
        raise NotFound(f"authorisation {authorization_id} not found")
    with transaction() as session:
        return agency.as_dict(agency.revoke(session, authorization_id, actor()))
