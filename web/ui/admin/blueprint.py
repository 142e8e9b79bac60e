"""Administration pages (/admin): offices, catalogue, users and roles, audit, dashboard."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin_ui", __name__, url_prefix="/admin")
