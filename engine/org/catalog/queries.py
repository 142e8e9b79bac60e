"""Read the catalogue: list and search items, one item, departments; JSON-ready shapes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from engine.core.errors import NotFound
from engine.models import Department, Item, ItemMaterial


def list_items(session: Session, *, department: str | None = None, q: str | None = None,
               limit: int = 50, offset: int = 0) -> tuple[list[Item], int]:
    """Items by code, filtered by department and a search in codes and names; with the total."""
    stmt = select(Item)
    if department:
        stmt = stmt.where(Item.department_code == department)
    if q and q.strip():
        # LIKE wildcards in the search text match themselves
        pattern = "%" + q.strip().lower().replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        stmt = stmt.where(or_(func.lower(Item.code).like(pattern, escape="\\"),
                              func.lower(Item.name_zh).like(pattern, escape="\\"),
                              func.lower(Item.name_en).like(pattern, escape="\\")))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Item.code).limit(limit).offset(offset))
    return list(rows), total


def get_item(session: Session, code: str) -> Item:
    """The item with CODE, or NotFound."""
    item = session.scalar(select(Item).where(Item.code == code))
    if item is None:
        raise NotFound(f"catalogue item {code} not found")
    return item


def list_departments(session: Session) -> list[tuple[Department, int]]:
    """Every department with how many items it owns, by code."""
    counts: dict[str, int] = {code: n for code, n in session.execute(
        select(Item.department_code, func.count()).group_by(Item.department_code))}
    return [(d, counts.get(d.code, 0))
            for d in session.scalars(select(Department).order_by(Department.code))]


def department_as_dict(department: Department, items: int | None = None) -> dict[str, Any]:
    """A department for the API."""
    out: dict[str, Any] = {"code": department.code, "name_zh": department.name_zh,
                           "name_en": department.name_en}
    if items is not None:
        out["items"] = items
    return out


def material_as_dict(material: ItemMaterial) -> dict[str, Any]:
    """A material for the API."""
    return {"code": material.code, "name_zh": material.name_zh, "name_en": material.name_en,
            "key": material.key, "copies": material.copies, "note": material.note}


def item_as_dict(item: Item, *, full: bool = False) -> dict[str, Any]:
    """An item for the API; FULL adds legal basis, conditions and materials."""
    out: dict[str, Any] = {
        "code": item.code, "name_zh": item.name_zh, "name_en": item.name_en,
        "department": item.department_code, "statutory_days": item.statutory_days,
        "committed_days": item.committed_days, "instant": item.instant,
        "fee": {"amount": str(item.fee_amount), "text": item.fee_text},
        "accept_levels": list(item.accept_levels), "decide_levels": list(item.decide_levels),
    }
    if full:
        out.update(department_name_zh=item.department.name_zh,
                   department_name_en=item.department.name_en,
                   legal_basis=item.legal_basis, conditions=item.conditions,
                   materials=[material_as_dict(m) for m in item.materials],
                   updated_at=item.updated_at.isoformat())
    return out
