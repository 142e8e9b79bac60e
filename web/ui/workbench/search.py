"""The staff case search page: one box for a case number, applicant name, credit code or
phone; the hits the signed-in person may see, paged (engine.casework.search)."""

from __future__ import annotations

from flask import render_template, request

from engine.casework import search
from web.api.casework.search import SearchQuery
from web.api.declare import read
from web.context import transaction
from web.ui.guard import actor, current_actor, group_required
from web.ui.workbench.blueprint import bp

staff_only = group_required(*sorted(search.STAFF))


@bp.context_processor
def search_box() -> dict[str, bool]:
    """Whether the workbench header offers the search box to the signed-in person."""
    who = current_actor()
    return {"can_search": who is not None and search.may_search(who)}


@bp.get("/search")
@staff_only
def search_page() -> str:
    """The search box and, for a search text, one page of hits."""
    query = read(SearchQuery, request.args, "query string")
    text = query.q.strip()
    found: search.Results | None = None
    if text:
        with transaction() as session:
            found = search.search(session, actor(), text, page=query.page, limit=query.limit)
    return render_template("workbench/search.html", q=text, found=found)
