"""The clerk's workbench (/workbench): inbox, task pages, acceptance desk, service pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("workbench", __name__, url_prefix="/workbench")
