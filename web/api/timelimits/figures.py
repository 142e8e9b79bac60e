"""Commitment figures per office, bundle and month, as JSON or as a CSV download."""

from __future__ import annotations

import re
from typing import Any, Literal

from flask import Blueprint, Response
from pydantic import Field

from engine.org import roles
from engine.timelimits import commitment_figures
from web.api.declare import Exact, Month, Reply, operation
from web.api.service.ratings import OVERSEERS
from web.context import actor, transaction

bp = Blueprint("figures", __name__)

BOM = "\ufeff"
CSV = {"text/csv": {"schema": {"type": "string"},
                    "example": ",".join(commitment_figures.COLUMNS) + "\n"}}


class FiguresQuery(Exact):
    office: str | None = Field(None, description="only this office")
    bundle: str | None = Field(None, description="only this bundle")
    month: Month | None = Field(None, description="only this month of acceptance (YYYY-MM)")
    format: Literal["json", "csv"] = Field("json", description="json (default) or csv")


class FigureRow(Reply):
    """The figures of one office, bundle and month of acceptance; finished counts the cases
    that ended with a decision, shares are of those, null while there are none."""

    office: str | None
    bundle: str
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    cases: int
    finished: int
    on_time_rate: float | None
    early_rate: float | None
    avg_used_days: float | None
    avg_committed_days: float | None
    instant_share: float | None
    overdue: int
    ratings: int
    rating_average: float | None
    ratings_bad: int
    withdrawn: int = Field(0, description="withdrawn by the applicant (not finished)")
    cancelled: int = Field(0, description="cancelled (not finished)")
    errors: int = Field(0, description="stopped by an error")


class Figures(Reply):
    """The figures with their columns in order."""

    columns: list[str]
    items: list[FigureRow]


@bp.get("/figures")
@operation("figures", tag="figures", query=FiguresQuery, ok={200: Figures}, media={200: CSV},
           errors=("403",))
def figures(query: FiguresQuery) -> dict[str, Any] | Response:
    """Commitment figures per office, bundle and month of acceptance; format=csv for a CSV
    download."""
    roles.require(actor(), OVERSEERS, "read the commitment figures")
    with transaction() as session:
        rows = commitment_figures.figures(session, office=query.office, bundle=query.bundle,
                                          month=query.month)
    if query.format == "csv":
        name = re.sub(r"[^A-Za-z0-9_-]", "_", "-".join(
            ["figures", *(v for v in (query.office, query.bundle, query.month) if v)]))
        # the byte order mark tells Excel the file is UTF-8, so Chinese names read right
        return Response(BOM + commitment_figures.as_csv(rows), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return {"columns": list(commitment_figures.COLUMNS), "items": rows}
