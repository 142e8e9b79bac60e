"""The audit search page: by case number, actor, action and date range, paged."""

from __future__ import annotations

from flask import render_template, request

from engine.org import admin
from web.api.declare import read
from web.api.org.admin import AuditSearch
from web.context import transaction
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
    return render_template("admin/audit.html", events=rows, total=total, values=values,
                           page=page, pages=page_count(total))
