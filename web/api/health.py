"""Liveness and database reachability for load balancers and monitors."""

from __future__ import annotations

import logging
from typing import Any, Literal

from flask import Blueprint, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from web.api.declare import Reply, operation
from web.context import onething
from web.errors import problem

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


class Health(Reply):
    """The service is up and its database answers."""

    status: Literal["ok"]
    database: Literal["ok"]


@bp.get("/healthz")
@operation("health", tag="operations", ok={200: Health}, errors=("503",), public=True,
           descriptions={200: "Up"})
def healthz() -> dict[str, Any] | Response:
    """Is the service and its database up?"""
    # 503 problem+json when the database does not answer
    try:
        with onething().db.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as err:
        log.warning("health check: database unreachable: %s", err.__class__.__name__)
        return problem(503, "Service Unavailable", "the database does not answer",
                       database="unreachable")
    return {"status": "ok", "database": "ok"}
