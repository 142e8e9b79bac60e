"""The item catalogue, departments and the office tree: read-only for any signed-in caller."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import Blueprint
from pydantic import Field

from engine.org import catalog, offices
from engine.org.catalog.queries import department_as_dict
from web.api.declare import Paged, Reply, operation
from web.context import transaction

bp = Blueprint("catalog", __name__)

Level = Literal["county", "center", "branch", "town"]
OfficeLevel = Literal["bureau", "center", "branch", "town", "department"]


class CatalogList(Paged):
    """Which catalogue items to list (the admin catalogue page reads the same filters)."""

    department: str | None = Field(None, description="only items of this department code (MS)")
    q: str | None = Field(
        None, description="search text in the code and the Chinese and English names")


class ItemFee(Reply):
    amount: str = Field(description="yuan, two decimals")
    text: str


class ItemMaterial(Reply):
    """A material an item asks for."""

    code: str
    name_zh: str
    name_en: str
    key: bool
    copies: int
    note: str


class CatalogItem(Reply):
    """A catalogue item (事项). Days are working days; committed_days <= statutory_days."""

    code: str
    name_zh: str
    name_en: str
    department: str
    statutory_days: int
    committed_days: int
    instant: bool
    fee: ItemFee
    accept_levels: list[Level]
    decide_levels: list[Level]
    department_name_zh: str | None = Field(None, description="only on a single item")
    department_name_en: str | None = Field(None, description="only on a single item")
    legal_basis: str | None = Field(None, description="only on a single item")
    conditions: str | None = Field(None, description="only on a single item")
    updated_at: datetime | None = Field(None, description="only on a single item")
    materials: list[ItemMaterial] | None = Field(None, description="only on a single item")


class CatalogItemPage(Reply):
    """A page of catalogue items."""

    items: list[CatalogItem]
    total: int
    limit: int
    offset: int


class Department(Reply):
    """A department that owns catalogue items."""

    code: str
    name_zh: str
    name_en: str
    items: int = Field(description="how many items it owns")


class DepartmentList(Reply):
    items: list[Department]


class OfficeUnit(Reply):
    """An office of the org model, as every office reply starts."""

    code: str
    name_zh: str
    name_en: str
    level: OfficeLevel
    parent: str | None = Field(description="the parent office's code")
    town: str
    department: str | None = Field(description="the catalogue department it stands for")
    timezone: str


class Office(OfficeUnit):
    """An office in the tree, with its staff counts and its child offices."""

    staff: dict[str, int] = Field(description="number of staff per role")
    children: list[Office]


class OfficeTree(Reply):
    """The root offices, each with its subtree."""

    items: list[Office]


@bp.get("/catalog/items")
@operation("listCatalogItems", tag="catalogue", query=CatalogList, ok={200: CatalogItemPage})
def items(query: CatalogList) -> dict[str, Any]:
    """List catalogue items (事项), by code."""
    with transaction() as session:
        rows, total = catalog.list_items(session, department=query.department, q=query.q,
                                         limit=query.limit, offset=query.offset)
        found = [catalog.item_as_dict(i) for i in rows]
    return {"items": found, "total": total, "limit": query.limit, "offset": query.offset}


@bp.get("/catalog/items/<code>")
@operation("getCatalogItem", tag="catalogue", ok={200: CatalogItem}, errors=("404",))
def item(code: str) -> dict[str, Any]:
    """One item with legal basis, conditions, materials."""
    with transaction() as session:
        return catalog.item_as_dict(catalog.get_item(session, code), full=True)


@bp.get("/departments")
@operation("listDepartments", tag="catalogue", ok={200: DepartmentList})
def departments() -> dict[str, Any]:
    """Departments that own items."""
    with transaction() as session:
        return {"items": [department_as_dict(d, n)
                          for d, n in catalog.list_departments(session)]}


@bp.get("/offices")
@operation("officeTree", tag="catalogue", ok={200: OfficeTree})
def office_tree() -> dict[str, Any]:
    """The offices as a tree, with staff counts per role."""
    with transaction() as session:
        return {"items": offices.office_tree(session)}
