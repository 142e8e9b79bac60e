"""The guide and situational-question endpoints of a shipped bundle."""

from __future__ import annotations

from pathlib import Path

BUNDLE = Path(__file__).resolve().parents[3] / "bpmn" / "bundles" / "restaurant"


def _deploy(client, headers):
    files = [(open(p, "rb"), p.name) for p in sorted(BUNDLE.iterdir()) if p.is_file()]
    try:
        response = client.post("/api/v1/deployments", headers=headers,
                               data={"files": files, "bundle": "restaurant"},
                               content_type="multipart/form-data")
    finally:
        for handle, _ in files:
            handle.close()
    assert response.status_code == 201, response.get_json()


def test_answers_decide_items_and_the_notice_lists_materials(client, admin):
    headers = admin
    _deploy(client, headers)
    guide = client.get("/api/v1/bundles/restaurant/guide", headers=headers).get_json()
    assert {q["id"] for q in guide["questions"]} >= {"area", "outdoor_sign"}
    small = client.post("/api/v1/bundles/restaurant/situation", headers=headers, json={
        "answers": {"has_licence": True, "area": 80, "menu": "hot_food",
                    "outdoor_sign": False}}).get_json()
    big = client.post("/api/v1/bundles/restaurant/situation", headers=headers, json={
        "answers": {"has_licence": False, "area": 400, "menu": "hot_food",
                    "outdoor_sign": True}, "lang": "en"}).get_json()
    assert set(small["items"]) < set(big["items"])
    assert "UM-003" in big["items"] and "UM-003" not in small["items"]
    assert "| UM-003 |" in big["notice"]


def test_bad_answers_and_unknown_bundles(client, admin):
    headers = admin
    _deploy(client, headers)
    wrong = client.post("/api/v1/bundles/restaurant/situation", headers=headers,
                        json={"answers": {"area": "big"}})
    assert wrong.status_code == 422
    assert wrong.headers["Content-Type"].startswith("application/problem+json")
    missing = client.post("/api/v1/bundles/nope/situation", headers=headers,
                          json={"answers": {}})
    assert missing.status_code == 404
