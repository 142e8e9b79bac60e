"""Which items a task decides, read from its data: its own item, else the case's plan."""

from __future__ import annotations

from engine.casework.task_items import item_codes


def test_a_review_task_decides_its_own_item() -> None:
    assert item_codes({"item_code": "MS-010", "review_plan": [{"code": "MS-001"}]}) == ["MS-010"]


def test_a_later_task_decides_every_planned_item_in_order() -> None:
    plan = [{"code": "MS-001", "name": "营业执照"}, {"code": "MS-010"}, {"name": "no code"}]
    assert item_codes({"review_plan": plan}) == ["MS-001", "MS-010"]


def test_before_the_plan_the_applicable_items_stand() -> None:
    assert item_codes({"review_plan": [], "applicable_items": ["FS-002"]}) == ["FS-002"]
    assert item_codes({"review_plan": [{"x": 1}], "applicable_items": ["FS-002"]}) == ["FS-002"]
    assert item_codes({}) == []
