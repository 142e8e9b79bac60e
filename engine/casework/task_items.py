"""What a task decides: the catalogue items (事项) of one task, and why it came back.

A review task of a bundle that plans its items carries ``item_code`` in its data (the
restaurant bundle's ``i_prepare``); a task without one, such as the window's acceptance,
decides every item the case plans (``review_plan``, else ``applicable_items``). Each item
is read from the catalogue; an item the catalogue does not know keeps the name the
bundle's plan gives it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Item, WorkItem

ITEM_KEY = "item_code"
RETURN_KEY = "return_reason"


def item_codes(data: dict[str, Any]) -> list[str]:
    """The item codes a task with DATA decides, in the case's order."""
    code = data.get(ITEM_KEY)
    if isinstance(code, str) and code:
        return [code]
    for key in ("review_plan", "applicable_items"):
        found = data.get(key)
        if isinstance(found, dict | list) and found:
            codes = [_code_of(c) for c in found]
            if any(codes):
                return [c for c in codes if c]
    return []


def _code_of(entry: Any) -> str:
    """An item's code in a plan: the key itself, or the ``code`` of a planned entry."""
    if isinstance(entry, str):
        return entry
    code = entry.get("code") if isinstance(entry, dict) else None
    return code if isinstance(code, str) else ""


def _plan_entry(data: dict[str, Any], code: str) -> dict[str, Any]:
    plan = data.get("review_plan")
    if isinstance(plan, list):
        plan = {_code_of(e): e for e in plan}
    entry = plan.get(code) if isinstance(plan, dict) else None
    return entry if isinstance(entry, dict) else {}


def _from_catalogue(item: Item) -> dict[str, Any]:
    return {
        "code": item.code, "name_zh": item.name_zh, "name_en": item.name_en or item.name_zh,
        "department_zh": item.department.name_zh,
        "department_en": item.department.name_en or item.department.name_zh,
        "legal_basis": item.legal_basis, "conditions": item.conditions,
        "statutory_days": item.statutory_days, "committed_days": item.committed_days,
        "instant": item.instant, "fee_text": item.fee_text,
        "fee_amount": str(item.fee_amount), "in_catalogue": True,
    }


def _from_plan(code: str, entry: dict[str, Any]) -> dict[str, Any]:
    name = str(entry.get("name") or code)
    days = entry.get("days")
    return {
        "code": code, "name_zh": name, "name_en": str(entry.get("name_en") or name),
        "department_zh": "", "department_en": "", "legal_basis": "", "conditions": "",
        "statutory_days": None, "committed_days": days if isinstance(days, int) else None,
        "instant": False, "fee_text": "", "fee_amount": None, "in_catalogue": False,
    }


def decided_items(session: Session, work_item: WorkItem) -> list[dict[str, Any]]:
    """The items WORK_ITEM decides, as plain dicts: code, names, department, legal basis,
    conditions, statutory and committed working days, fee, and the office that decides it
    (``office_name``, from the case's plan) where known."""
    data = work_item.input_data or {}
    codes = item_codes(data)
    if not codes:
        return []
    known = {i.code: i for i in session.scalars(select(Item).where(Item.code.in_(codes)))}
    out = []
    for code in codes:
        entry = _plan_entry(data, code)
        row = _from_catalogue(known[code]) if code in known else _from_plan(code, entry)
        row["office_name"] = str(entry.get("office_name") or "")
        row["mode"] = str(entry.get("mode") or "")
        out.append(row)
    return out


def return_reason(work_item: WorkItem) -> str:
    """The reason a department gave when it returned the item of WORK_ITEM, or ''."""
    reason = (work_item.input_data or {}).get(RETURN_KEY)
    return reason.strip() if isinstance(reason, str) else ""
