"""A case stopped by a failing script: shown with its error, run again with corrected data."""

from __future__ import annotations

import pytest

from tests.web.support import DATA, assert_problem, upload


@pytest.fixture
def failed_case(client, admin):
    upload(client, admin, DATA / "doubling.bpmn")
    response = client.post("/api/v1/cases", headers=admin, json={"process": "doubling"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_script_error_stops_the_case_and_names_the_element(failed_case):
    assert failed_case["status"] == "error"
    assert failed_case["error"]["element"] == "double"
    assert "amount" in failed_case["error"]["message"]
    assert not [w for w in failed_case["work_items"] if w["state"] == "open"]


def test_retry_with_corrected_data_runs_the_case_on(client, admin, failed_case):
    url = f"/api/v1/cases/{failed_case['number']}/retry"
    assert_problem(client.post(url, headers=admin, json={"data": "amount=2"}), 422)
    response = client.post(url, headers=admin, json={"data": {"amount": 21}})
    assert response.status_code == 200, response.get_json()
    case = response.get_json()
    assert case["status"] == "running" and case["error"] is None
    [confirm] = [w for w in case["work_items"] if w["state"] == "open"]
    assert confirm["element"] == "confirm"
    item = client.get(f"/api/v1/tasks/{confirm['id']}", headers=admin).get_json()
    assert item["title"] == "Confirm the total"
    newest = client.get(f"{url[:-len('/retry')]}/audit?order=newest&limit=1", headers=admin)
    assert [e["action"] for e in newest.get_json()["items"]] == ["case.retried"]


def test_cli_show_prints_the_error(runner, failed_case):
    shown = runner("cases", "show", failed_case["number"])
    assert shown.exit_code == 0, shown.output
    assert "  error      " in shown.stdout and "(at double)" in shown.stdout
    assert failed_case["number"] in runner("cases", "list", "--status", "error").stdout
