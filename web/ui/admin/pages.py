"""The admin and leaders' pages (/admin): offices with staff, users, the catalogue, the
audit search and the dashboard. Leaders and supervisors read; administrators change.

The views live in admin_*.py modules by concept; importing this module registers them all
on one blueprint.
"""

from __future__ import annotations

from flask import render_template, request

from engine.casework import staffing
from engine.org import admin, catalog
from engine.timelimits import supervision
from web.api.declare import read
from web.api.org.catalog import CatalogList
from web.context import transaction
from web.ui.admin.blueprint import bp
from web.ui.guard import actor, group_required

READERS = ("admin", "leader", "supervisor")
PAGE_SIZE = 50
# the admin home lists the oldest tasks no one can take; the supervision page lists more
UNSTAFFED_SHOWN = 20


def page_number() -> int:
    """The 1-based page asked for in the query string (1 when missing or wrong)."""
    text = request.args.get("page", "1")
    return max(1, min(int(text), 10**6)) if text.isdigit() else 1


def page_count(total: int) -> int:
    """How many pages TOTAL rows fill."""
    return max(1, -(-total // PAGE_SIZE))


@bp.get("")
@group_required(*READERS)
def index() -> str:
    """The admin home: links to every admin page, and the work no one can take."""
    with transaction() as session:
        unstaffed = supervision.unstaffed(session, actor(), limit=UNSTAFFED_SHOWN)
        unstaffed_count = staffing.count_unstaffed(session)
    return render_template("admin/index.html", unstaffed=unstaffed,
                           unstaffed_count=unstaffed_count)


@bp.get("/offices")
@group_required(*READERS)
def offices() -> str:
    """Every office with its staff counts."""
    with transaction() as session:
        rows = admin.list_offices(session, actor())
    return render_template("admin/offices.html", offices=rows)


@bp.get("/offices/<code>")
@group_required(*READERS)
def office(code: str) -> str:
    """One office with its staff and child offices."""
    with transaction() as session:
        found = admin.office_details(session, actor(), code)
    return render_template("admin/office.html", office=found)


@bp.get("/catalog")
@group_required(*READERS)
def catalog_items() -> str:
    """Search the item catalogue by text and department."""
    search = request.args.get("q", "").strip()
    department = request.args.get("department", "").strip()
    wanted = read(CatalogList, {"q": search or None, "department": department or None},
                  "query string")
    page = page_number()
    with transaction() as session:
        items, total = catalog.list_items(session, department=wanted.department,
                                          q=wanted.q, limit=PAGE_SIZE,
                                          offset=(page - 1) * PAGE_SIZE)
        departments = catalog.list_departments(session)
        rows = [catalog.item_as_dict(i) for i in items]
    return render_template("admin/catalog.html", items=rows, total=total, q=search,
                           department=department, departments=departments, page=page,
                           pages=page_count(total))


@bp.get("/catalog/<code>")
@group_required(*READERS)
def catalog_item(code: str) -> str:
    """One item with its department, limits and materials."""
    with transaction() as session:
        item = catalog.item_as_dict(catalog.get_item(session, code), full=True)
    return render_template("admin/item.html", item=item)
