"""Serve the OpenAPI 3.1 document of the JSON API, generated from the operations declared
beside their routes (web/api/declare.py)."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from flask import Blueprint, Flask

from web.api.declare import generated
from web.refs import RowId

bp = Blueprint("openapi", __name__)

# the document's own route: spectree leaves it out of what it generates
_SELF = {"get": {
    "operationId": "openapi", "summary": "This document.", "tags": ["operations"],
    "security": [],
    "responses": {"200": {"description": "OpenAPI 3.1 document", "content": {
        "application/json": {"schema": {"type": "object"}}}},
        "default": {"$ref": "#/components/responses/Unexpected"}}}}


def document() -> dict[str, Any]:
    """The OpenAPI document (a fresh copy the caller may change)."""
    return copy.deepcopy(_document())


@cache
def _document() -> dict[str, Any]:
    from web import api  # the package registers this module's blueprint too

    # the API's blueprints on an app of their own: the document needs no database
    app = Flask("onething-openapi")
    app.url_map.converters["int"] = RowId
    api.register(app)
    doc = generated(app)
    doc["paths"]["/api/openapi.json"] = _SELF
    return doc


@bp.get("/api/openapi.json")
def openapi_json() -> dict[str, Any]:
    """Serve the OpenAPI 3.1 document."""
    return _document()
