"""The dashboard page (/admin/dashboard): tables, charts (chart.js) and CSV downloads."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from engine.core import clock
from engine.models import Deployment, Office
from engine.timelimits import dashboard
from web.api.declare import read
from web.api.timelimits.dashboard import DashboardQuery, csv_response, filters_from
from web.context import transaction
from web.ui.admin.blueprint import bp
from web.ui.admin.pages import READERS
from web.ui.guard import actor, group_required
from web.ui.names import bundle_name, office_name

MONTHS_SHOWN = 12


def _filters() -> dashboard.Filters:
    return filters_from(read(DashboardQuery, request.args.to_dict(), "form"))


def _names(body: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The names of the offices and bundles the charts label, in the page's language."""
    rows = body["tables"]["throughput"]
    return {"offices": {r["office"]: (office_name(r["office"]) if r["office"] != dashboard.NO_OFFICE
                                      else "–") for r in rows},
            "bundles": {r["bundle"]: bundle_name(r["bundle"]) for r in rows}}


@bp.get("/dashboard")
@group_required(*READERS)
def dashboard_page() -> str:
    """Cases per office and bundle, work in progress, overdue and at-risk, commitment."""
    filters = _filters()
    with transaction() as session:
        body = dashboard.summary(session, actor(), filters)
        offices = list(session.execute(select(Office.code, Office.name_zh, Office.name_en)
                                       .order_by(Office.code)))
        bundles = sorted(set(session.scalars(select(Deployment.bundle_key))))
    months = dashboard.months_back(clock.now().astimezone(dashboard.LOCAL).date(),
                                   MONTHS_SHOWN)
    return render_template("admin/dashboard.html", d=body, offices=offices, bundles=bundles,
                           months=months, columns=dashboard.columns_of, names=_names(body),
                           query=request.query_string.decode())


@bp.get("/dashboard/<table>.csv")
@group_required(*READERS)
def dashboard_csv(table: str) -> Response:
    """One table of the dashboard as CSV, with the page's filters."""
    dashboard.check_table(table)
    with transaction() as session:
        body = dashboard.summary(session, actor(), _filters())
    return csv_response(table, body)
