"""The dashboard API: every table as JSON, and each table as CSV."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from engine.timelimits import dashboard
from web.api.validation import Fields
from web.context import actor, transaction

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def filters_from(source: Fields) -> dashboard.Filters:
    """The office, bundle and month asked for (shared with the pages)."""
    return dashboard.Filters(office=source.text("office") or None,
                             bundle=source.text("bundle") or None,
                             month=source.text("month") or None)


def _summary() -> dict[str, Any]:
    query = Fields(request.args, query=True)
    filters = filters_from(query)
    query.done(allow_unknown=True)
    with transaction() as session:
        return dashboard.summary(session, actor(), filters)


@bp.get("")
def show() -> dict[str, Any]:
    """Cases opened and closed, work in progress, overdue and at-risk, commitment figures."""
    return _summary()


def csv_response(table: str, body: dict[str, Any]) -> Response:
    """TABLE of a dashboard BODY as a CSV download."""
    text = dashboard.as_csv(table, body["tables"].get(table, []))
    # a byte-order mark lets spreadsheet programs read the Chinese names as UTF-8
    response = Response("\ufeff" + text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{table}.csv"'
    return response


@bp.get("/<table>.csv")
def export(table: str) -> Response:
    """One dashboard table as CSV (UTF-8 with a byte-order mark)."""
    dashboard.check_table(table)
    return csv_response(table, _summary())


def openapi_paths() -> dict[str, Any]:
    """The dashboard operations for the OpenAPI document."""
    from web.openapi import _json, _op, _path, _query
    from web.openapi_types import INT, OBJ, STR, TIME, nullable, obj

    params = [_query("office", "only cases accepted by this office", {"type": "string"}),
              _query("bundle", "only this bundle", {"type": "string"}),
              _query("month", "opened/closed in this month (YYYY-MM)",
                     {"type": "string", "pattern": r"^\d{4}-\d{2}$"})]
    rows = {"type": "array", "items": OBJ}
    return {
        "/api/v1/dashboard": {
            "get": _op("dashboard", "The dashboard's tables, totals and calendar warning",
                       "dashboard", {"200": _json(obj({
                           "filters": OBJ, "generated_at": TIME,
                           "calendar_warning": nullable(STR),
                           "totals": {"type": "object", "additionalProperties": INT},
                           "tables": obj({name: rows for name in dashboard.TABLES},
                                         closed=False)},
                           ("tables", "totals"), closed=False), "The dashboard")},
                       "403", "404", "422", params=params),
        },
        "/api/v1/dashboard/{table}.csv": {
            "get": _op("dashboardCsv", "One dashboard table as CSV", "dashboard",
                       {"200": {"description": "CSV with a header row", "content": {
                           "text/csv": {"schema": {"type": "string"}}}}},
                       "403", "404", "422",
                       params=[_path("table", "table name", {"enum": list(dashboard.TABLES)}),
                               *params]),
        },
    }
