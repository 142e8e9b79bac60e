"""The admin API: users, groups and office roles, offices with staff, the audit search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.core import clock
from engine.core.db import unit_of_work
from engine.core.errors import Unauthorized
from engine.models import Office
from engine.org import users
from tests.web.support import assert_problem, signboard_files, upload
from web.context import onething

NEW_USER = {"username": "wang", "password": "s3cret-pass", "display_name": "王五",
            "groups": ["window_clerk"]}


@pytest.fixture
def offices(app):
    with unit_of_work(onething(app).factory) as session:
        session.add(Office(code="branch_tieying", name_zh="铁营分局", name_en="Tieying branch",
                           level="branch"))


def test_create_user_set_groups_and_roles(client, admin, offices):
    created = client.post("/api/v1/admin/users", headers=admin, json=NEW_USER)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["groups"] == ["window_clerk"]
    assert "password" not in created.get_json() and "password_hash" not in created.get_json()

    roles = client.put("/api/v1/admin/users/wang/roles", headers=admin, json={
        "postings": [{"office": "branch_tieying", "role": "window_clerk"}]})
    assert roles.status_code == 200, roles.get_json()
    assert set(roles.get_json()["groups"]) == {
        "window_clerk", "office:branch_tieying", "window_clerk@branch_tieying"}
    assert roles.get_json()["postings"][0]["office"] == "branch_tieying"

    groups = client.put("/api/v1/admin/users/wang/groups", headers=admin,
                        json={"groups": ["reviewer", "dept_market"]})
    # office-role groups stay; the bare role given by hand went away
    assert set(groups.get_json()["groups"]) == {
        "dept_market", "reviewer", "office:branch_tieying", "window_clerk@branch_tieying"}

    office = client.get("/api/v1/admin/offices/branch_tieying", headers=admin).get_json()
    assert [(s["username"], s["role"]) for s in office["staff"]] == [("wang", "window_clerk")]
    listed = client.get("/api/v1/admin/offices", headers=admin).get_json()["items"]
    assert listed[0]["staff"] == {"window_clerk": 1}

    found = client.get("/api/v1/admin/users?q=WAN", headers=admin).get_json()
    assert [u["username"] for u in found["items"]] == ["wang"] and found["total"] == 1
    by_group = client.get("/api/v1/admin/users?group=dept_market", headers=admin).get_json()
    assert [u["username"] for u in by_group["items"]] == ["wang"]


def test_bad_user_input_is_422_or_409(client, admin, offices):
    assert_problem(client.post("/api/v1/admin/users", headers=admin,
                               json={**NEW_USER, "password": "short"}), 422)
    assert client.post("/api/v1/admin/users", headers=admin, json=NEW_USER).status_code == 201
    assert_problem(client.post("/api/v1/admin/users", headers=admin, json=NEW_USER), 409)
    body = assert_problem(client.put("/api/v1/admin/users/wang/groups", headers=admin,
                                     json={"groups": ["office:x", "has space"]}), 422)
    assert len(body["fields"]) == 2
    body = assert_problem(client.put("/api/v1/admin/users/wang/roles", headers=admin, json={
        "postings": [{"office": "nowhere", "role": "pilot"}]}), 422)
    assert {f["path"] for f in body["fields"]} == {"postings[0].office", "postings[0].role"}
    assert_problem(client.post("/api/v1/admin/users/nobody/deactivate", headers=admin), 404)
    assert_problem(client.post("/api/v1/admin/users/root/deactivate", headers=admin), 409)


def test_deactivated_user_cannot_log_in_or_use_a_token(client, admin, make_user):
    token = make_user("lee", "window_clerk")
    assert client.get("/api/v1/tasks", headers=token).status_code == 200
    done = client.post("/api/v1/admin/users/lee/deactivate", headers=admin)
    assert done.status_code == 200 and done.get_json()["active"] is False
    assert_problem(client.get("/api/v1/tasks", headers=token), 401)
    client.post("/api/v1/admin/users/lee/password", headers=admin,
                json={"password": "another-pass"})
    with unit_of_work(onething(client.application).factory) as session:
        with pytest.raises(Unauthorized):
            users.authenticate(session, "lee", "another-pass")
    client.post("/api/v1/admin/users/lee/activate", headers=admin)
    with unit_of_work(onething(client.application).factory) as session:
        assert users.authenticate(session, "lee", "another-pass").username == "lee"


def test_non_admins_are_refused_and_leaders_only_read(client, make_user):
    clerk = make_user("clara", "window_clerk")
    leader = make_user("lin", "leader")
    assert_problem(client.get("/api/v1/admin/users", headers=clerk), 403)
    assert_problem(client.get("/api/v1/admin/audit", headers=clerk), 403)
    assert client.get("/api/v1/admin/users", headers=leader).status_code == 200
    assert client.get("/api/v1/admin/audit", headers=leader).status_code == 200
    assert_problem(client.post("/api/v1/admin/users", headers=leader, json=NEW_USER), 403)
    assert_problem(client.post("/api/v1/admin/users/clara/deactivate", headers=leader), 403)


def test_audit_search_filters_by_case_actor_action_and_dates(client, admin, make_user):
    clock.freeze(datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    try:
        upload(client, admin, *signboard_files())
        clerk = make_user("clara", "window_clerk")
        first = client.post("/api/v1/cases", headers=clerk,
                            json={"process": "signboard", "data": {}}).get_json()
        clock.advance(timedelta(days=2))
        second = client.post("/api/v1/cases", headers=admin,
                             json={"process": "signboard", "data": {}}).get_json()
    finally:
        clock.reset()

    def search(**params):
        response = client.get("/api/v1/admin/audit", headers=admin, query_string=params)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    by_case = search(case=first["number"])
    assert by_case["total"] >= 1 and {e["case"] for e in by_case["items"]} == {first["number"]}
    by_actor = search(actor="clara")
    assert {e["actor"] for e in by_actor["items"]} == {"clara"}
    started = search(action="case.started")
    assert [e["case"] for e in started["items"]] == [second["number"], first["number"]]
    assert search(action="case")["total"] >= 2
    assert {e["action"] for e in search(action="deployment")["items"]} == {"deployment.created"}
    june_1 = search(action="case.started", since="2026-06-01", until="2026-06-01")
    assert [e["case"] for e in june_1["items"]] == [first["number"]]
    later = search(action="case.started", since="2026-06-02")
    assert [e["case"] for e in later["items"]] == [second["number"]]
    paged = search(limit=1, offset=1)
    assert len(paged["items"]) == 1 and paged["total"] == search()["total"]
    assert_problem(client.get("/api/v1/admin/audit?since=yesterday", headers=admin), 422)
    assert_problem(client.get("/api/v1/admin/audit?since=2026-06-05&until=2026-06-01",
                              headers=admin), 422)


@pytest.mark.parametrize(("username", "password", "why"), [
    ("wang", "abc-12345", "at least 10 characters"),
    ("wang", "abcdefghijkl", "must mix at least two kinds of characters"),
    ("wang", "1234567890123", "must mix at least two kinds of characters"),
    ("wangwu-2026", "WANGWU-2026", "must not be the username"),
], ids=["too short", "only letters", "only digits", "the username"])
def test_passwords_set_through_the_api_keep_to_the_policy(client, admin, username, password,
                                                         why):
    body = assert_problem(client.post("/api/v1/admin/users", headers=admin, json={
        **NEW_USER, "username": username, "password": password}), 422)
    assert why in str(body)
    assert client.post("/api/v1/admin/users", headers=admin,
                       json={**NEW_USER, "username": username}).status_code == 201
    body = assert_problem(client.post(f"/api/v1/admin/users/{username}/password",
                                      headers=admin, json={"password": password}), 422)
    assert why in str(body)
    assert client.post(f"/api/v1/admin/users/{username}/password", headers=admin,
                       json={"password": "Quite-long-2"}).status_code == 200
