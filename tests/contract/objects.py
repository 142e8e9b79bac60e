"""Real objects for the contract run to name in its requests."""

from __future__ import annotations

from flask import Flask


def start_case(app: Flask, headers: dict[str, str]) -> dict[str, str]:
    """Start a restaurant case online; name it and its first work item as path parameters."""
    started = app.test_client().post("/api/v1/cases", headers=headers, json={
        "process": "restaurant", "channel": "online",
        "data": {"applicant": "乐陵市测试餐饮有限公司", "answers": {
            "has_licence": False, "area": 180, "menu": "hot_food", "outdoor_sign": False}}})
    assert started.status_code == 201, started.get_data(as_text=True)
    case = started.get_json()
    return {"case_ref": case["number"], "item_id": str(case["work_items"][0]["id"])}
