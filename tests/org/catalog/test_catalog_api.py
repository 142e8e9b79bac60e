"""GET /api/v1/catalog/items, /catalog/items/<code>, /departments, /offices."""

from __future__ import annotations

import pytest

from engine.core.actors import SYSTEM
from engine.core.db import unit_of_work
from engine.org.catalog import import_catalog
from engine.org.offices import import_offices
from tests.org.catalog.conftest import ITEMS, ORG
from tests.web.support import assert_problem
from web.context import onething


@pytest.fixture
def clerk(app, make_user):
    with unit_of_work(onething(app).factory) as session:
        import_catalog(session, ITEMS, actor=SYSTEM)
        import_offices(session, ORG, SYSTEM)
    return make_user("clerk_api", "window_clerk")


def test_items_page_filter_and_search(client, clerk):
    first = client.get("/api/v1/catalog/items?limit=10", headers=clerk).get_json()
    assert first["total"] >= 60 and len(first["items"]) == 10 and first["limit"] == 10
    codes = [i["code"] for i in first["items"]]
    assert codes == sorted(codes)
    second = client.get("/api/v1/catalog/items?limit=10&offset=10", headers=clerk).get_json()
    assert not set(codes) & {i["code"] for i in second["items"]}
    market = client.get("/api/v1/catalog/items?department=MS&limit=200", headers=clerk)
    assert {i["department"] for i in market.get_json()["items"]} == {"MS"}
    found = client.get("/api/v1/catalog/items", query_string={"q": "招牌"}, headers=clerk)
    assert [i["code"] for i in found.get_json()["items"]] == ["UM-003"]
    literal = client.get("/api/v1/catalog/items?q=%25", headers=clerk).get_json()
    assert literal["total"] == 0


def test_one_item_with_materials(client, clerk):
    body = client.get("/api/v1/catalog/items/MS-010", headers=clerk).get_json()
    assert body["name_zh"] == "食品经营许可" and body["committed_days"] <= body["statutory_days"]
    assert body["legal_basis"].startswith("《中华人民共和国食品安全法》第三十五条")
    assert body["fee"] == {"amount": "0.00", "text": "不收费"}
    assert [m["code"] for m in body["materials"] if m["key"]][0] == "food_permit_form"
    missing = client.get("/api/v1/catalog/items/XX-999", headers=clerk)
    assert "XX-999" in assert_problem(missing, 404)["detail"]


def test_departments_and_office_tree(client, clerk):
    departments = client.get("/api/v1/departments", headers=clerk).get_json()["items"]
    assert {"MS", "FR", "TX", "PS"} <= {d["code"] for d in departments}
    assert all(d["items"] >= 1 for d in departments)
    roots = client.get("/api/v1/offices", headers=clerk).get_json()["items"]
    bureau = next(r for r in roots if r["code"] == "county_bureau")
    assert bureau["children"][0]["code"] == "county_center"
    assert any(r["level"] == "department" and r["department"] == "MS" for r in roots)


@pytest.mark.parametrize("path", ["/api/v1/catalog/items", "/api/v1/catalog/items/MS-010",
                                  "/api/v1/departments", "/api/v1/offices"])
def test_a_token_is_needed(client, path):
    assert_problem(client.get(path), 401)


def test_bad_paging_is_a_422(client, clerk):
    body = assert_problem(client.get("/api/v1/catalog/items?limit=0", headers=clerk), 422)
    assert body["fields"][0]["path"] == "limit"
