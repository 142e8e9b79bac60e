"""The audit search page: by case number, actor, action and date range, paged; each
event by name, its details as lines a person reads (web.ui.admin.audit_details)."""

from __future__ import annotations

from flask import render_template, request

from engine.casework import earlier_steps
from engine.org import admin
from web.api.declare import read
from web.api.org.admin import AuditSearch
from web.context import engine, transaction
from web.ui import names
from web.ui.admin.audit_details import lines
from web.ui.admin.blueprint import bp
from web.ui.admin.pages import PAGE_SIZE, READERS, page_count, page_number
from web.ui.guard import actor, group_required

FILTERS = ("case", "actor", "action", "since", "until")


@bp.get("/audit")
@group_required(*READERS)
def audit() -> str:
    """Audit events matching the filters, newest first."""
    values = {k: request.args.get(k, "").strip() for k in FILTERS}
    query = read(AuditSearch, {k: v for k, v in values.items() if v}, "query string").wanted()
    page = page_number()
    with transaction() as session:
        rows, total = admin.search_audit(session, actor(), query, limit=PAGE_SIZE,
                                         offset=(page - 1) * PAGE_SIZE)
        entered = earlier_steps.entered_fields(engine(), session, rows)
    for row in rows:
        row["lines"] = lines(row, entered.get(row["id"]))
    actions = sorted(((kind, names.event_name(kind)) for kind in names.EVENTS),
                     key=lambda pair: pair[1])
    return render_template("admin/audit.html", events=rows, total=total, values=values,
                           page=page, pages=page_count(total), actions=actions)
