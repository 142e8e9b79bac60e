"""A signboard case through the API: inbox by lane, claim races, form errors, completion."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.support import assert_problem, signboard_files, upload

CHECK = {"materials_complete": True, "width_m": 3}


@pytest.fixture
def people(client, make_user, admin):
    upload(client, admin, *signboard_files())
    return {"clerk_a": make_user("clerk_a", "window_clerk"),
            "clerk_b": make_user("clerk_b", "window_clerk"),
            "market": make_user("market", "dept_market"), "admin": admin}


def start(client, headers, **extra):
    response = client.post("/api/v1/cases", headers=headers,
                           json={"process": "signboard", "data": {"applicant": "Noodle shop"},
                                 **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def open_task(case, element):
    return next(w for w in case["work_items"] if w["element"] == element and w["state"] == "open")


def inbox(client, headers, tab="all"):
    return client.get(f"/api/v1/tasks?tab={tab}", headers=headers).get_json()["items"]


def test_start_shows_the_first_task_in_its_lane(client, people):
    case = start(client, people["clerk_a"], business_key="shop-7")
    assert case["status"] == "running" and case["business_key"] == "shop-7"
    task = open_task(case, "check")
    assert task["lane"] == "window_clerk" and task["candidate_groups"] == ["window_clerk"]
    assert task["form_schema"] == "check-form.json"
    trail = client.get(f"/api/v1/cases/{case['number']}/audit", headers=people["clerk_a"])
    assert trail.get_json()["items"][0]["action"] == "case.started"


def test_inbox_shows_the_task_to_its_group_only(client, people):
    task = open_task(start(client, people["clerk_a"]), "check")
    assert [t["id"] for t in inbox(client, people["clerk_b"])] == [task["id"]]
    assert [t["id"] for t in inbox(client, people["clerk_b"], "group")] == [task["id"]]
    assert inbox(client, people["clerk_b"], "mine") == []
    assert inbox(client, people["market"]) == []
    denied = client.get(f"/api/v1/tasks/{task['id']}", headers=people["market"])
    assert_problem(denied, 403)
    assert client.get(f"/api/v1/tasks/{task['id']}", headers=people["clerk_b"]).status_code == 200


def test_second_claim_is_a_conflict(client, people):
    task = open_task(start(client, people["clerk_a"]), "check")
    url = f"/api/v1/tasks/{task['id']}"
    claimed = client.post(f"{url}/claim", headers=people["clerk_a"])
    assert claimed.status_code == 200 and claimed.get_json()["assignee"] == "clerk_a"
    assert "clerk_a" in assert_problem(client.post(f"{url}/claim", headers=people["clerk_b"]),
                                       409)["detail"]
    assert [t["id"] for t in inbox(client, people["clerk_a"], "mine")] == [task["id"]]
    assert inbox(client, people["clerk_b"]) == []
    refused = client.post(f"{url}/complete", headers=people["clerk_b"], json={"data": CHECK})
    assert_problem(refused, 403)
    released = client.post(f"{url}/unclaim", headers=people["clerk_a"])
    assert released.get_json()["assignee"] is None
    assert client.post(f"{url}/claim", headers=people["clerk_b"]).status_code == 200


def test_form_errors_name_the_fields_and_change_nothing(client, people):
    case = start(client, people["clerk_a"])
    url = f"/api/v1/tasks/{open_task(case, 'check')['id']}/complete"
    response = client.post(url, headers=people["clerk_a"],
                           json={"data": {"materials_complete": "yes"}})
    body = assert_problem(response, 422)
    assert {f["path"] for f in body["fields"]} == {"materials_complete", "width_m"}
    assert "width_m" in body["detail"]
    again = client.get(f"/api/v1/cases/{case['id']}", headers=people["clerk_a"]).get_json()
    assert again["version"] == case["version"]
    assert open_task(again, "check")["state"] == "open"


def test_case_runs_to_completion_and_completing_twice_is_409(client, people):
    case = start(client, people["clerk_a"])
    check_url = f"/api/v1/tasks/{open_task(case, 'check')['id']}/complete"
    done = client.post(check_url, headers=people["clerk_a"], json={"data": CHECK})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["task"]["state"] == "completed"
    assert_problem(client.post(check_url, headers=people["clerk_a"], json={"data": CHECK}), 409)

    issue = open_task(done.get_json()["case"], "issue")
    assert issue["candidate_groups"] == ["dept_market"]
    assert [t["id"] for t in inbox(client, people["market"])] == [issue["id"]]
    finished = client.post(f"/api/v1/tasks/{issue['id']}/complete", headers=people["market"],
                           json={"data": {}})
    assert finished.get_json()["case"]["status"] == "completed"
    by_number = client.get(f"/api/v1/cases/{case['number']}", headers=people["market"])
    assert by_number.get_json()["status"] == "completed"


def test_default_flow_ends_the_case(client, people):
    case = start(client, people["clerk_a"])
    url = f"/api/v1/tasks/{open_task(case, 'check')['id']}/complete"
    result = client.post(url, headers=people["clerk_a"],
                         json={"data": {"materials_complete": False, "width_m": 1}})
    assert result.get_json()["case"]["status"] == "completed"


def test_list_filters_and_pages(client, people):
    first = start(client, people["clerk_a"])
    start(client, people["clerk_a"])
    listing = client.get("/api/v1/cases?status=running&limit=1", headers=people["admin"])
    body = listing.get_json()
    assert body["total"] == 2 and len(body["items"]) == 1 and body["limit"] == 1
    rest = client.get("/api/v1/cases?limit=1&offset=1", headers=people["admin"]).get_json()
    assert rest["items"][0]["id"] == first["id"]
    assert client.get("/api/v1/cases?bundle=nope", headers=people["admin"]).get_json()["total"] == 0
    bad = assert_problem(client.get("/api/v1/cases?status=odd&limit=x", headers=people["admin"]),
                         422)
    assert {f["path"] for f in bad["fields"]} == {"status", "limit"}


def test_cancel_by_its_starter_then_again_is_409(client, people):
    case = start(client, people["clerk_a"])
    url = f"/api/v1/cases/{case['id']}/cancel"
    assert_problem(client.post(url, headers=people["clerk_b"]), 403)
    cancelled = client.post(url, headers=people["clerk_a"], json={"reason": "withdrawn"})
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert_problem(client.post(url, headers=people["clerk_a"]), 409)


def test_retry_of_a_healthy_case_is_409(client, people):
    case = start(client, people["clerk_a"])
    retry = client.post(f"/api/v1/cases/{case['id']}/retry", headers=people["admin"],
                        json={"data": {"width_m": 2}})
    assert_problem(retry, 409)


def test_unknown_ids_are_404(client, people):
    headers = people["admin"]
    for url in ("/api/v1/cases/999", "/api/v1/cases/LL-1999-000001", "/api/v1/tasks/nope",
                "/api/v1/cases/99999999999999999999", "/api/v1/cases/%C2%B2",
                "/api/v1/deployments/99999999999999999999",
                "/api/v1/deployments/99999999999999999999/files/x.bpmn"):
        assert_problem(client.get(url, headers=headers), 404)
    for url in ("/api/v1/cases/999/cancel", "/api/v1/cases/99999999999999999999/retry",
                "/api/v1/tasks/nope/claim",
                "/api/v1/tasks/nope/unclaim", "/api/v1/tasks/nope/complete"):
        assert_problem(client.post(url, headers=headers), 404)
    missing = client.post("/api/v1/cases", headers=headers, json={"process": "nothing"})
    assert "nothing" in assert_problem(missing, 404)["detail"]


def test_start_checks_field_types(client, people):
    response = client.post("/api/v1/cases", headers=people["admin"],
                           json={"process": 5, "data": [], "version": "1", "procss": "x"})
    fields = {f["path"] for f in assert_problem(response, 422)["fields"]}
    assert fields == {"process", "data", "version", "procss"}


def test_the_completion_reply_has_the_open_work_and_no_history(client, people):
    case = start(client, people["clerk_a"])
    done = client.post(f"/api/v1/tasks/{open_task(case, 'check')['id']}/complete",
                       headers=people["clerk_a"], json={"data": CHECK}).get_json()["case"]
    assert [w["element"] for w in done["work_items"]] == ["issue"]
    assert all(w["state"] == "open" for w in done["work_items"])
    assert done["waiting_on"] == [] and "audit" not in done
    # the case's page counts its story; the story itself is paged
    url = f"/api/v1/cases/{case['id']}"
    full = client.get(url, headers=people["clerk_a"]).get_json()
    assert [w["element"] for w in full["work_items"]] == ["issue"] and "audit" not in full
    assert full["counts"] == {"work_items": 2, "audit": 2}
    every = client.get(f"{url}/work-items", headers=people["clerk_a"]).get_json()
    assert [(w["element"], w["state"]) for w in every["items"]] == [
        ("check", "completed"), ("issue", "open")]
    trail = client.get(f"{url}/audit", headers=people["clerk_a"]).get_json()["items"]
    assert [e["action"] for e in trail] == ["case.started", "task.completed"]


def test_the_completion_reply_does_not_grow_with_the_rounds_of_a_loop(client, admin):
    loop = Path(__file__).resolve().parents[2] / "runtime" / "long_cases" / "data" / "loop.bpmn"
    assert upload(client, admin, loop).status_code == 201
    started = client.post("/api/v1/cases", headers=admin,
                          json={"process": "loop", "data": {"count": 1, "limit": 40}})
    assert started.status_code == 201, started.get_json()
    case = started.get_json()
    sizes = []
    for _round in range(30):
        task = open_task(case, "review")
        reply = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=admin,
                            json={"data": {}})
        assert reply.status_code == 200, reply.get_json()
        sizes.append(len(reply.get_data()))
        case = reply.get_json()["case"]
    # the same few hundred bytes each round (only the version's digits may add one)
    assert max(sizes) - min(sizes) <= 8, sizes
