"""Liveness and database reachability for load balancers and monitors."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from web.context import onething
from web.errors import problem

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> dict[str, Any] | Response:
    """200 when the database answers, 503 problem+json when it does not."""
    try:
        with onething().db.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as err:
        log.warning("health check: database unreachable: %s", err.__class__.__name__)
        return problem(503, "Service Unavailable", "the database does not answer",
                       database="unreachable")
    return {"status": "ok", "database": "ok"}
