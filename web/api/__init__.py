"""The JSON API under /api/v1, plus the health check and the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, Flask

from web.auth import require_actor

PREFIX = "/api/v1"


def register(app: Flask) -> None:
    """Mount every API blueprint on APP; resources under /api/v1 need a caller."""
    from web.api import health, metrics, openapi
    from web.api.casework import (
        agency,
        case_diagram,
        cases,
        comments,
        cooperation,
        drafts,
        inbox,
        materials,
        search,
        tasks,
    )
    from web.api.design import deployments, guides, studio
    from web.api.jobs import external, messages
    from web.api.org import admin, catalog, sessions
    from web.api.service import appointments, notifications, ratings, visits
    from web.api.timelimits import clocks, dashboard, figures, supervision

    v1 = Blueprint("v1", __name__, url_prefix=PREFIX)
    v1.before_request(require_actor)
    for resource in (deployments.bp, cases.bp, tasks.bp, messages.bp, external.bp,
                     catalog.bp, materials.bp, agency.bp, cooperation.bp, guides.bp,
                     inbox.bp, comments.bp, search.bp,
                     studio.bp, admin.bp, sessions.bp, dashboard.bp,
                     notifications.bp, appointments.bp, visits.bp,
                     case_diagram.bp, drafts.bp,
                     clocks.bp, supervision.bp, ratings.bp, figures.bp):
        v1.register_blueprint(resource)
    app.register_blueprint(v1)
    app.register_blueprint(health.bp)
    app.register_blueprint(metrics.bp)
    metrics.init(app)
    app.register_blueprint(openapi.bp)
