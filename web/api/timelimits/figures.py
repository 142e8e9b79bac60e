"""Commitment figures per office, bundle and month, as JSON or as a CSV download."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, request

from engine.core.errors import FieldError, InvalidInput
from engine.org import roles
from engine.timelimits import commitment_figures
from web.api.service.ratings import OVERSEERS
from web.api.validation import Fields
from web.context import actor, transaction

bp = Blueprint("figures", __name__)

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
BOM = "\ufeff"


@bp.get("/figures")
def figures() -> dict[str, Any] | Response:
    """On-time and early rates, days used, instant share, overdue and ratings per group."""
    query = Fields(request.args, query=True)
    office, bundle = query.text("office"), query.text("bundle")
    month = query.text("month")
    shape = query.text("format", default="json", choices=("json", "csv"))
    query.done()
    if month is not None and not MONTH.match(month):
        raise InvalidInput("month is not a month / 月份格式不正确",
                           [FieldError("month", "must be YYYY-MM")])
    roles.require(actor(), OVERSEERS, "read the commitment figures")
    with transaction() as session:
        rows = commitment_figures.figures(session, office=office, bundle=bundle, month=month)
    if shape == "csv":
        name = re.sub(r"[^A-Za-z0-9_-]", "_", "-".join(
            ["figures", *(v for v in (office, bundle, month) if v)]))
        # the byte order mark tells Excel the file is UTF-8, so Chinese names read right
        return Response(BOM + commitment_figures.as_csv(rows), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return {"columns": list(commitment_figures.COLUMNS), "items": rows}
