"""The item catalogue, departments and the office tree: read-only for any signed-in caller."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from engine.org import catalog, offices
from engine.org.catalog.queries import department_as_dict
from web.api.validation import Fields, paging
from web.context import transaction

bp = Blueprint("catalog", __name__)


@bp.get("/catalog/items")
def items() -> dict[str, Any]:
    """List catalogue items by code, filtered by department and a search text."""
    query = Fields(request.args, query=True)
    department = query.text("department")
    search = query.text("q")
    limit, offset = paging(query)
    query.done(allow_unknown=True)
    with transaction() as session:
        rows, total = catalog.list_items(session, department=department, q=search,
                                         limit=limit, offset=offset)
        found = [catalog.item_as_dict(i) for i in rows]
    return {"items": found, "total": total, "limit": limit, "offset": offset}


@bp.get("/catalog/items/<code>")
def item(code: str) -> dict[str, Any]:
    """One item with its legal basis, conditions and materials."""
    with transaction() as session:
        return catalog.item_as_dict(catalog.get_item(session, code), full=True)


@bp.get("/departments")
def departments() -> dict[str, Any]:
    """Every department with its number of items."""
    with transaction() as session:
        return {"items": [department_as_dict(d, n)
                          for d, n in catalog.list_departments(session)]}


@bp.get("/offices")
def office_tree() -> dict[str, Any]:
    """The offices as a tree, with staff counts per role."""
    with transaction() as session:
        return {"items": offices.office_tree(session)}
