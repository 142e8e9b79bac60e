"""The dashboard: numbers on a few driven restaurant cases, the CSV export, who may see it."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from engine.core import clock
from engine.core.db import unit_of_work
from engine.models import Office
from tests.web.support import assert_problem
from web.context import onething

BUNDLE = Path(__file__).resolve().parents[3] / "bpmn" / "bundles" / "restaurant"
LOCAL = ZoneInfo("Asia/Shanghai")
ANSWERS = {"has_licence": False, "area": 180, "menu": "hot_food", "outdoor_sign": False}
# what admin answers at each step of the restaurant bundle
STEPS = {"accept": {"outcome": "accept"},
         "review": {"decision": "approve", "certificate_no": "JY-2026-0001"},
         "choose_delivery": {"delivery": "window"}}


def at(day: int, hour: int = 9) -> None:
    clock.freeze(datetime(2026, 6, day, hour, tzinfo=LOCAL))


@pytest.fixture
def deployed(client, admin, app):
    with unit_of_work(onething(app).factory) as session:
        session.add(Office(code="branch_tieying", name_zh="铁营分局", level="branch"))
    paths = sorted(BUNDLE.iterdir())
    data = {"files": [(p.open("rb"), p.name) for p in paths]}
    try:
        response = client.post("/api/v1/deployments", headers=admin, data=data,
                               content_type="multipart/form-data")
    finally:
        for handle, _ in data["files"]:
            handle.close()
    assert response.status_code == 201, response.get_json()
    yield
    clock.reset()


def start(client, admin, office="branch_tieying"):
    response = client.post("/api/v1/cases", headers=admin, json={
        "process": "restaurant", "office": office, "data": {
            "applicant": "铁营面馆", "answers": ANSWERS}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def step(client, admin, case, elements):
    """Complete the open tasks of CASE at ELEMENTS, once each, as the administrator."""
    body = client.get(f"/api/v1/cases/{case['id']}", headers=admin).get_json()
    for item in body["work_items"]:
        if item["state"] == "open" and item["element"] in elements:
            done = client.post(f"/api/v1/tasks/{item['id']}/complete", headers=admin,
                               json={"data": STEPS[item["element"]]})
            assert done.status_code == 200, done.get_json()


def finish(client, admin, case):
    for elements in (["accept"], ["review"], ["choose_delivery"]):
        step(client, admin, case, elements)
    body = client.get(f"/api/v1/cases/{case['id']}", headers=admin).get_json()
    assert body["status"] == "completed", body["work_items"]


def test_dashboard_counts_closed_running_overdue_and_at_risk(client, admin, deployed):
    at(1)
    late = start(client, admin)
    step(client, admin, late, ["accept"])
    fast = start(client, admin)
    at(3, 10)
    finish(client, admin, fast)
    at(3, 11)
    close = start(client, admin)
    step(client, admin, close, ["accept"])
    at(9, 10)

    body = client.get("/api/v1/dashboard", headers=admin).get_json()
    [row] = body["tables"]["throughput"]
    assert row == {"office": "branch_tieying", "bundle": "restaurant", "opened": 3,
                   "closed": 1, "in_progress": 2, "average_working_days": 2.0,
                   "commitment_days": 5, "closed_within_commitment": 1,
                   "withdrawn": 0, "cancelled": 0, "errors": 0}
    assert [c["case"] for c in body["tables"]["overdue"]] == [late["number"]]
    assert body["tables"]["overdue"][0]["reason"] == "commitment_passed"
    assert body["tables"]["overdue"][0]["working_days_used"] == 6
    assert [c["case"] for c in body["tables"]["at_risk"]] == [close["number"]]
    assert body["tables"]["work_in_progress"][0]["running_cases"] == 2
    assert body["totals"] == {"opened": 3, "closed": 1, "in_progress": 2, "overdue": 1,
                              "at_risk": 1, "withdrawn": 0, "cancelled": 0, "errors": 0}
    assert isinstance(body["tables"]["commitment"], list)

    may = client.get("/api/v1/dashboard?month=2026-05", headers=admin).get_json()
    assert may["tables"]["throughput"][0]["opened"] == 0
    other = client.get("/api/v1/dashboard?bundle=employment", headers=admin).get_json()
    assert other["tables"]["throughput"] == [] and other["totals"]["overdue"] == 0


def test_csv_export_of_a_table(client, admin, deployed):
    at(1)
    case = start(client, admin)
    at(2)
    finish(client, admin, case)
    response = client.get("/api/v1/dashboard/throughput.csv", headers=admin)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "throughput.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [{"office": "branch_tieying", "bundle": "restaurant", "opened": "1",
                     "closed": "1", "in_progress": "0", "average_working_days": "1.0",
                     "commitment_days": "5", "closed_within_commitment": "1",
                     "withdrawn": "0", "cancelled": "0", "errors": "0"}]
    overdue = client.get("/api/v1/dashboard/overdue.csv", headers=admin).get_data(as_text=True)
    assert overdue.lstrip("\ufeff").splitlines()[0].startswith("case,bundle,office")


def test_bad_filters_and_tables(client, admin, deployed):
    assert_problem(client.get("/api/v1/dashboard?month=June", headers=admin), 422)
    assert_problem(client.get("/api/v1/dashboard?office=nowhere", headers=admin), 404)
    assert_problem(client.get("/api/v1/dashboard/secrets.csv", headers=admin), 404)


def test_only_admins_leaders_and_supervisors_see_it(client, make_user):
    assert_problem(client.get("/api/v1/dashboard", headers=make_user("c", "window_clerk")), 403)
    assert client.get("/api/v1/dashboard", headers=make_user("l", "leader")).status_code == 200
    assert client.get("/api/v1/dashboard",
                      headers=make_user("s", "supervisor")).status_code == 200
