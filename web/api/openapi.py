"""Serve the OpenAPI document that describes this API."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from web.openapi import document

bp = Blueprint("openapi", __name__)


@bp.get("/api/openapi.json")
def openapi_json() -> dict[str, Any]:
    """Serve the OpenAPI 3.1 document."""
    return document()
