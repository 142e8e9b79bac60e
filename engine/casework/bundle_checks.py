"""Checks a diagram names on a task that a JSON Schema cannot express.

A user task opts in with the property ``formCheck`` (e.g. ``promise_within_item_limits``).
The check runs when the task is completed, after the form's schema and before the case
moves, so bad data is refused with 422 naming the field and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from engine.core import clock
from engine.core.errors import Conflict, FieldError, InvalidInput
from engine.models import Case, WorkItem
from engine.workdays import add_working_days, office_hours

CHECK_PROPERTY = "formCheck"

Check = Callable[[Case, WorkItem, dict[str, Any]], None]
_checks: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register the decorated function as the check NAME."""
    def register(func: Check) -> Check:
        _checks[name] = func
        return func
    return register


def run(case: Case, item: WorkItem, data: dict[str, Any]) -> None:
    """Run the check ITEM's task names, if any, on the submitted DATA."""
    name = (item.properties or {}).get(CHECK_PROPERTY)
    if not name:
        return
    found = _checks.get(str(name))
    if found is None:
        raise Conflict(f"task '{item.title}' names an unknown check '{name}'")
    found(case, item, data)


@check("promise_within_item_limits")
def promise_within_item_limits(case: Case, item: WorkItem, data: dict[str, Any]) -> None:
    """容缺受理: each promised material concerns an item of the case, and the promised date
    is no earlier than today and no later than the committed limit of every item it
    concerns, counted in working days from acceptance.

    Reads the bundle's plan from the task's data: ``review_plan`` (code -> name, days) and
    ``gap_material_items`` (material -> item codes).
    """
    if data.get("outcome") != "accept_with_gaps":
        return
    try:
        deadline = date.fromisoformat(str(data.get("promise_deadline")))
    except ValueError:
        raise InvalidInput("the promised date is not a date", [FieldError(
            "promise_deadline", "不是日期（YYYY-MM-DD）/ not a date (YYYY-MM-DD)")]) from None
    plan: dict[str, Any] = item.input_data.get("review_plan") or {}
    concerns: dict[str, list[str]] = item.input_data.get("gap_material_items") or {}
    now = clock.now()
    today = now.astimezone(office_hours(case.office_code).zone).date()
    problems: list[FieldError] = []
    unused = [m for m in data.get("promised_materials", [])
              if not any(code in plan for code in concerns.get(m, []))]
    if unused:
        problems.append(FieldError("promised_materials", (
            f"本案没有事项需要这些材料：{'、'.join(unused)} / no item of this case needs: "
            f"{', '.join(unused)}")))
    if deadline < today:
        problems.append(FieldError("promise_deadline", (
            f"承诺日期不得早于今天（{today}）/ must not be before today ({today})")))
    limits = []
    for material in data.get("promised_materials", []):
        for code in concerns.get(material, []):
            if code in plan:
                due = add_working_days(now, plan[code]["days"], office=case.office_code).due
                limits.append((due.date(), plan[code]["days"], plan[code]["name"]))
    if limits and deadline > min(limits)[0]:
        limit, days, name = min(limits)
        problems.append(FieldError("promise_deadline", (
            f"承诺日期不得晚于 {limit}，即{name}自受理起 {days} 个工作日的承诺时限 / must be no "
            f"later than {limit}, the committed limit of {name} ({days} working days from "
            "acceptance)")))
    if problems:
        raise InvalidInput("the promise for the missing materials is not acceptable", problems)
