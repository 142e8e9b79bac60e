"""The agency and cooperation routes: grant, list, revoke, act for, ask and answer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.core import clock
from tests.casework.agency.support import START
from tests.design.bundles.support import BUNDLES
from tests.web.support import assert_problem, upload

ACCEPT = {"outcome": "accept"}
SUPPLEMENT = {"outcome": "supplement", "missing_materials": ["id_card"]}


@pytest.fixture
def people(client, make_user, admin):
    response = upload(client, admin, *sorted((BUNDLES / "restaurant").iterdir()),
                      bundle="restaurant")
    assert response.status_code in (200, 201), response.get_json()
    return {"ent": make_user("applicant_ent", "applicant"),
            "agent": make_user("agent_park", "agent"),
            "other": make_user("agent_other", "agent"),
            "clerk": make_user("clerk_tieying", "window_clerk"),
            "market": make_user("rev_market", "reviewer@dept_market"),
            "fire": make_user("rev_fire", "reviewer@dept_fire"), "admin": admin}


def until(hours: int = 24) -> str:
    return (clock.now() + timedelta(hours=hours)).isoformat()


def grant(client, people, scope, **extra):
    response = client.post("/api/v1/agency", headers=people["ent"], json={
        "agent": "agent_park", "scope": scope, "valid_until": until(), **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def start(client, headers, **extra):
    response = client.post("/api/v1/cases", headers=headers,
                           json={"process": "restaurant", "data": dict(START), **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def open_task(case, element):
    return next(w for w in case["work_items"] if w["element"] == element
                and w["state"] == "open" and w["kind"] != "cooperation")


def complete(client, headers, task, data, **extra):
    return client.post(f"/api/v1/tasks/{task['id']}/complete", headers=headers,
                       json={"data": data, **extra})


def to_supplement(client, people):
    case = start(client, people["ent"])
    done = complete(client, people["clerk"], open_task(case, "accept"), SUPPLEMENT)
    assert done.status_code == 200, done.get_json()
    return done.get_json()["case"]


def test_grant_list_and_revoke(client, people):
    made = grant(client, people, ["supplement", "receive_result"], bundle="restaurant")
    assert (made["principal"], made["agent"], made["revoked"]) == (
        "applicant_ent", "agent_park", False)
    for who in ("ent", "agent"):
        listed = client.get("/api/v1/agency", headers=people[who]).get_json()["items"]
        assert [a["id"] for a in listed] == [made["id"]]
    assert client.get("/api/v1/agency", headers=people["other"]).get_json()["items"] == []
    url = f"/api/v1/agency/{made['id']}/revoke"
    assert_problem(client.post(url, headers=people["agent"]), 403)
    revoked = client.post(url, headers=people["ent"])
    assert revoked.status_code == 200 and revoked.get_json()["revoked"] is True
    assert_problem(client.post(url, headers=people["ent"]), 409)
    assert_problem(client.post("/api/v1/agency/999999/revoke", headers=people["ent"]), 404)


@pytest.mark.parametrize(("body", "field"), [
    ({"scope": ["everything"]}, "scope"),
    ({"valid_until": "2000-01-01T00:00:00+08:00"}, "valid_until"),
    ({"valid_until": "next week"}, "valid_until"),
    ({"agent": "applicant_ent"}, "agent"),
], ids=["unknown-scope", "past", "not-a-date", "self"])
def test_bad_grants_are_422_naming_the_field(client, people, body, field):
    response = client.post("/api/v1/agency", headers=people["ent"], json={
        "agent": "agent_park", "scope": ["all"], "valid_until": until(), **body})
    problem = assert_problem(response, 422)
    assert field in {f["path"] for f in problem["fields"]}


def test_agent_completes_the_supplement_for_the_enterprise(client, people):
    case = to_supplement(client, people)
    task = open_task(case, "supplement")
    supplied = {"supplied": True}
    denied = assert_problem(complete(client, people["agent"], task, supplied,
                                     on_behalf_of="applicant_ent"), 403)
    assert "holds no authorisation" in denied["detail"]
    scoped = grant(client, people, ["receive_result"])
    denied = assert_problem(complete(client, people["agent"], task, supplied,
                                     on_behalf_of="applicant_ent"), 403)
    assert "out of the scope" in denied["detail"]
    client.post(f"/api/v1/agency/{scoped['id']}/revoke", headers=people["ent"])
    grant(client, people, ["supplement"])
    denied = assert_problem(complete(client, people["other"], task, supplied,
                                     on_behalf_of="applicant_ent"), 403)
    assert "agent_other" in denied["detail"]
    done = complete(client, people["agent"], task, supplied, on_behalf_of="applicant_ent")
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["task"]["completed_by"] == "agent_park for applicant_ent"
    shown = client.get(f"/api/v1/cases/{case['id']}/audit", headers=people["agent"])
    assert shown.status_code == 200
    actors = [e["actor"] for e in shown.get_json()["items"] if e["task_id"] == task["id"]]
    assert actors == ["agent_park for applicant_ent"]


def test_agent_starts_a_case_with_scope_apply(client, people):
    body = {"process": "restaurant", "on_behalf_of": "applicant_ent",
            "data": {"applicant": START["applicant"], "answers": START["answers"]}}
    denied = client.post("/api/v1/cases", headers=people["agent"], json=body)
    assert "holds no authorisation" in assert_problem(denied, 403)["detail"]
    grant(client, people, ["apply"], bundle="restaurant")
    made = client.post("/api/v1/cases", headers=people["agent"], json=body)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["started_by"] == "agent_park for applicant_ent"
    shown = client.get(f"/api/v1/cases/{made.get_json()['number']}", headers=people["agent"])
    assert shown.status_code == 200
    assert_problem(client.get(f"/api/v1/cases/{made.get_json()['id']}",
                              headers=people["other"]), 403)


def test_cooperation_is_asked_answered_and_shown(client, people):
    case = start(client, people["ent"])
    accepted = complete(client, people["clerk"], open_task(case, "accept"), ACCEPT).get_json()
    review = next(w for w in accepted["case"]["work_items"] if w["state"] == "open"
                  and w["candidate_groups"] == ["reviewer@dept_market"])
    url = f"/api/v1/tasks/{review['id']}/cooperation"
    body = {"group": "reviewer@dept_fire", "question": "排烟是否需另行验收？", "due_days": 2}
    assert_problem(client.post(url, headers=people["fire"], json=body), 403)
    assert_problem(client.post(url, headers=people["market"], json={"group": "x"}), 422)
    assert_problem(client.post("/api/v1/tasks/nope/cooperation", headers=people["market"],
                               json=body), 404)
    asked = client.post(url, headers=people["market"], json=body)
    assert asked.status_code == 201, asked.get_json()
    request = asked.get_json()
    inbox = client.get("/api/v1/tasks", headers=people["fire"]).get_json()["items"]
    assert request["cooperation_task_id"] in {t["id"] for t in inbox}
    task = client.get(f"/api/v1/tasks/{review['id']}", headers=people["market"]).get_json()
    assert [c["id"] for c in task["cooperation"]] == [request["id"]]
    answer_url = f"/api/v1/cooperation/{request['cooperation_task_id']}/answer"
    assert_problem(client.post(answer_url, headers=people["market"],
                               json={"answer": "x"}), 403)
    assert_problem(client.post(answer_url, headers=people["fire"], json={}), 422)
    answered = client.post(answer_url, headers=people["fire"], json={"answer": "需要。"})
    assert answered.status_code == 200 and answered.get_json()["state"] == "answered"
    assert_problem(client.post(f"/api/v1/cooperation/{request['id']}/answer",
                               headers=people["fire"], json={"answer": "again"}), 409)
    assert_problem(client.post("/api/v1/cooperation/99999999999999999999/answer",
                               headers=people["fire"], json={"answer": "x"}), 404)
    shown = client.get(f"/api/v1/cases/{case['id']}", headers=people["fire"]).get_json()
    assert [(c["state"], c["answer"]) for c in shown["cooperation"]] == [("answered", "需要。")]
