"""The dashboard API: every table as JSON, and each table as CSV."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response
from pydantic import Field, field_validator

from engine.timelimits import dashboard
from web.api.declare import Month, Query, Reply, operation
from web.api.timelimits.figures import FigureRow
from web.context import actor, transaction

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

CSV = {"text/csv": {"schema": {"type": "string"}}}


class DashboardQuery(Query):
    """The office, bundle and month the dashboard counts (the pages' filters too)."""

    office: str | None = Field(None, description="only cases accepted by this office")
    bundle: str | None = Field(None, description="only this bundle")
    month: Month | None = Field(None, description="opened/closed in this month (YYYY-MM)")

    @field_validator("office", "bundle", "month", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        # an empty filter of the page's form (?office=) means no filter
        return value or None


class ThroughputRow(Reply):
    """Cases of one office and bundle: closed counts those that ended with a decision."""

    office: str
    bundle: str
    opened: int
    closed: int
    in_progress: int
    average_working_days: float | None
    commitment_days: float | None
    closed_within_commitment: int
    withdrawn: int = Field(0, description="withdrawn by the applicant (not in closed)")
    cancelled: int = Field(0, description="cancelled (not in closed)")
    errors: int = Field(0, description="stopped by an error")


class WorkInProgressRow(Reply):
    office: str
    running_cases: int
    open_tasks: int
    overdue_tasks: int


class AttentionRow(Reply):
    """A running case past its commitment, or close to it, or with a step past due."""

    case: str = Field(description="the case number")
    bundle: str
    office: str
    title: str
    accepted_at: datetime
    due_at: datetime | None
    working_days_used: float | None
    commitment_days: float | None
    reason: str = Field(description="commitment_passed, commitment_near or "
                                    "'task_overdue: <task>'")


class DashboardTables(Reply):
    throughput: list[ThroughputRow]
    work_in_progress: list[WorkInProgressRow]
    overdue: list[AttentionRow]
    at_risk: list[AttentionRow]
    commitment: list[FigureRow]


class DashboardFilters(Reply):
    office: str | None
    bundle: str | None
    month: str | None


class Dashboard(Reply):
    """Every table of the dashboard with its totals and the calendar warning."""

    filters: DashboardFilters
    generated_at: datetime
    calendar_warning: str | None
    totals: dict[str, int]
    tables: DashboardTables
    labels: dict[str, dict[str, dict[str, str]]] = Field(
        default_factory=dict, description="names of the offices and bundles the tables "
        "name by code: {'offices'|'bundles': {code: {'zh_CN': ..., 'en': ...}}}")


def filters_from(query: DashboardQuery) -> dashboard.Filters:
    """The engine's filters of a read query (shared with the pages)."""
    return dashboard.Filters(office=query.office, bundle=query.bundle, month=query.month)


def csv_response(table: str, body: dict[str, Any]) -> Response:
    """TABLE of a dashboard BODY as a CSV download."""
    text = dashboard.as_csv(table, body["tables"].get(table, []))
    # a byte-order mark lets spreadsheet programs read the Chinese names as UTF-8
    response = Response("\ufeff" + text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{table}.csv"'
    return response


def _summary(query: DashboardQuery) -> dict[str, Any]:
    with transaction() as session:
        return dashboard.summary(session, actor(), filters_from(query))


@bp.get("")
@operation("dashboard", tag="dashboard", query=DashboardQuery, ok={200: Dashboard},
           errors=("403", "404"))
def show(query: DashboardQuery) -> dict[str, Any]:
    """The dashboard's tables, totals and calendar warning."""
    return _summary(query)


@bp.get("/<table>.csv")
@operation("dashboardCsv", tag="dashboard", query=DashboardQuery, ok={200: None},
           media={200: CSV}, errors=("403", "404"), descriptions={200: "CSV with a header row"})
def export(table: str, query: DashboardQuery) -> Response:
    """One dashboard table as CSV."""
    dashboard.check_table(table)
    return csv_response(table, _summary(query))
