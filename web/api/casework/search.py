"""Staff case search in the API: by case number, applicant name, credit code or phone,
within the cases the caller may see (engine.casework.search)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint
from pydantic import Field
from werkzeug.exceptions import BadRequest

from engine.casework import search
from web.api.casework.shapes import CaseStatus
from web.api.declare import Query, Reply, operation
from web.context import actor, transaction

bp = Blueprint("case_search", __name__)

EMPTY = "enter a case number, applicant name, credit code or phone to search for"


class SearchQuery(Query):
    """What to look for, and which page of the hits."""

    q: str = Field("", max_length=search.MAX_QUERY,
                   description="a case number (LL-2026-000003) or its last digits (000003), "
                               "the applicant's name or part of it, a credit code, a phone")
    page: int = Field(1, ge=1, le=search.MAX_PAGE, description="page number, from 1")
    limit: int = Field(20, ge=1, le=search.MAX_LIMIT, description="hits per page")


class SearchHit(Reply):
    """One case found, with the task the caller would open for it."""

    id: int
    number: str
    bundle: str
    applicant_name: str | None = None
    office: str | None = None
    status: CaseStatus
    started_at: datetime
    task_id: str | None = Field(None, description="a task of the case the caller may open")


class SearchPage(Reply):
    """One page of hits, newest case first."""

    items: list[SearchHit]
    page: int
    has_next: bool


def read_search(query: SearchQuery) -> tuple[str, int, int]:
    """The search text (400 when empty), page and page size."""
    if not query.q.strip():
        raise BadRequest(EMPTY)
    return query.q, query.page, query.limit


@bp.get("/cases/search")
@operation("searchCases", tag="workbench", query=SearchQuery, ok={200: SearchPage},
           errors=("400", "403"))
def find(query: SearchQuery) -> dict[str, Any]:
    """Staff search: the cases the caller may see that the text finds."""
    text, page, limit = read_search(query)
    with transaction() as session:
        found = search.search(session, actor(), text, page=page, limit=limit)
        return {"items": [search.as_dict(h) for h in found.hits], "page": found.page,
                "has_next": found.has_next}
