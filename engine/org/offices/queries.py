"""Read the org model: the office tree with staff counts, and one office as JSON."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Office, OfficeMember


def office_as_dict(office: Office, staff: Counter[str] | None = None) -> dict[str, Any]:
    """An office for the API, with how many staff it has per role."""
    return {"code": office.code, "name_zh": office.name_zh, "name_en": office.name_en,
            "level": office.level, "parent": office.parent.code if office.parent else None,
            "town": office.town, "department": office.department_code,
            "timezone": office.timezone, "staff": dict(sorted((staff or Counter()).items()))}


def office_tree(session: Session) -> list[dict[str, Any]]:
    """Every office as a tree of dicts (roots first, children by code)."""
    offices = list(session.scalars(select(Office).order_by(Office.code)))
    staff: dict[int, Counter[str]] = {}
    for office_id, role in session.execute(select(OfficeMember.office_id, OfficeMember.role)):
        staff.setdefault(office_id, Counter())[role] += 1
    nodes = {o.id: {**office_as_dict(o, staff.get(o.id)), "children": []} for o in offices}
    roots: list[dict[str, Any]] = []
    for office in offices:
        parent = nodes.get(office.parent_id) if office.parent_id is not None else None
        (parent["children"] if parent is not None else roots).append(nodes[office.id])
    return roots
