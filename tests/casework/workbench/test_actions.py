"""Claim races, delegation, comments and the acceptance desk, through the API."""

from __future__ import annotations

from sqlalchemy import select

from engine.core.db import unit_of_work
from engine.models import User
from engine.org import users
from tests.casework.workbench.support import County
from tests.web.support import assert_problem


def test_the_second_clerk_to_claim_a_task_gets_a_conflict(county: County) -> None:
    task = county.task(county.walk_in("clerk_ty")["id"], "accept")
    assert county.api("clerk_ty", "POST", f"/tasks/{task}/claim").status_code == 200
    body = assert_problem(county.api("clerk_ty2", "POST", f"/tasks/{task}/claim"), 409)
    assert "clerk_ty" in body["detail"]


def test_delegating_hands_the_task_over_with_audit(county: County) -> None:
    case = county.walk_in("clerk_ty")
    task = county.task(case["id"], "accept")
    county.api("clerk_ty", "POST", f"/tasks/{task}/claim")

    response = county.api("clerk_ty", "POST", f"/tasks/{task}/delegate",
                          json={"to": "clerk_ty2", "note": "午休，请代办"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["assignee"] == "clerk_ty2"
    assert "task.delegated" in county.actions(case["id"])
    mine = county.api("clerk_ty2", "GET", "/inbox", query_string={"tab": "mine"}).get_json()
    assert [row["id"] for row in mine["items"]] == [task]
    # the former holder no longer holds it, so may not hand it on
    assert_problem(county.api("clerk_ty", "POST", f"/tasks/{task}/delegate",
                              json={"to": "clerk_ty"}), 403)


def test_a_task_goes_only_to_someone_who_could_work_on_it(county: County) -> None:
    task = county.task(county.walk_in("clerk_ty")["id"], "accept")
    for target in ("clerk_ya", "rev_market", "nobody_here"):
        body = assert_problem(county.api("clerk_ty", "POST", f"/tasks/{task}/delegate",
                                         json={"to": target}), 422)
        assert body["fields"][0]["path"] == "to"
    assert_problem(county.api("clerk_ty", "POST", "/tasks/no-such-task/delegate",
                              json={"to": "clerk_ty2"}), 404)
    assert_problem(county.api("clerk_ty", "POST", f"/tasks/{task}/delegate", json={}), 422)
    # a supervisor may redistribute work within the rules
    response = county.api("supervisor", "POST", f"/tasks/{task}/delegate",
                          json={"to": "clerk_ty2"})
    assert response.get_json()["assignee"] == "clerk_ty2"


def test_comments_are_kept_in_order_and_audited(county: County) -> None:
    case = county.walk_in("clerk_ty")
    task = county.task(case["id"], "accept")
    path = f"/cases/{case['number']}/comments"
    first = county.api("clerk_ty", "POST", path, json={"body": "身份证复印件模糊", "task_id": task})
    assert first.status_code == 201
    county.api("clerk_ty2", "POST", path, json={"body": "已电话联系申请人"})

    listed = county.api("clerk_ty", "GET", path).get_json()["items"]
    assert [(c["author"], c["body"]) for c in listed] == [
        ("clerk_ty", "身份证复印件模糊"), ("clerk_ty2", "已电话联系申请人")]
    assert listed[0]["task_id"] == task
    assert county.actions(case["id"]).count("case.commented") == 2
    assert_problem(county.api("clerk_ty", "POST", path, json={"body": "   "}), 422)
    assert_problem(county.api("clerk_ty", "POST", path, json={"body": "x", "task_id": "nope"}),
                   404)
    assert_problem(county.api("applicant_ent", "GET", path), 403)


def test_the_desk_starts_a_window_case_at_the_clerks_office(county: County) -> None:
    response = county.api("clerk_ya", "POST", "/desk/cases", json={
        "bundle": "restaurant", "applicant": "杨安小吃店", "applicant_user": "li_si",
        "new_applicant": True, "display_name": "李四",
        "answers": {"has_licence": False, "area": 80, "menu": "hot_food",
                    "outdoor_sign": False}})
    assert response.status_code == 201, response.get_data(as_text=True)
    out = response.get_json()
    assert out["case"]["office"] == "branch_yangan" and out["case"]["channel"] == "window"
    assert out["case"]["started_by"] == "clerk_ya"
    password = out["password"]
    with unit_of_work(county.factory) as s:
        assert users.authenticate(s, "li_si", password).groups == frozenset({"applicant"})
        assert s.scalar(select(User.display_name).where(User.username == "li_si")) == "李四"
    # the account exists now: creating it again is a conflict, picking it works
    again = {"bundle": "restaurant", "applicant": "杨安小吃店", "applicant_user": "li_si",
             "answers": {"has_licence": True, "area": 50, "menu": "drinks",
                         "outdoor_sign": False}}
    assert_problem(county.api("clerk_ya", "POST", "/desk/cases",
                              json={**again, "new_applicant": True}), 409)
    picked = county.api("clerk_ya", "POST", "/desk/cases", json=again)
    assert picked.status_code == 201 and picked.get_json()["password"] is None


def test_the_desk_refuses_what_it_cannot_start(county: County) -> None:
    good = {"bundle": "restaurant", "applicant": "x", "applicant_user": "applicant_ent"}
    assert_problem(county.api("rev_market", "POST", "/desk/cases", json=good), 403)
    assert_problem(county.api("clerk_ty", "POST", "/desk/cases",
                              json={**good, "bundle": "no-such"}), 404)
    body = assert_problem(county.api("clerk_ty", "POST", "/desk/cases",
                                     json={**good, "applicant_user": "rev_fire"}), 422)
    assert body["fields"][0]["path"] == "applicant_user"
    assert_problem(county.api("clerk_ty", "POST", "/desk/cases",
                              json={**good, "office": "branch_yangan"}), 422)
    assert_problem(county.api("clerk_ty", "POST", "/desk/cases",
                              json={**good, "answers": {"area": "big"}}), 422)
