"""One rule of who may see and work on a task, applied by the API, the inbox and the engine."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, select

from engine.casework import inbox, task_access, work_items
from engine.core import clock
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.core.errors import Forbidden
from engine.models import Candidate, Case, WorkItem
from engine.org.offices.members import office_groups
from engine.runtime import work_keys
from tests.casework.workbench.support import PASSWORD, County
from tests.web.support import assert_problem
from web.app import create_app
from web.context import onething

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh database, with materials kept in the test's folder."""
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "EMBEDDED_WORKER": False,
                      "MATERIALS_ROOT": str(tmp_path / "materials")})
    yield app
    onething(app).close()


@pytest.fixture
def county(app: Flask) -> Iterator[County]:
    """The restaurant bundle, the Tieying and Yang'an branches, two departments, staff."""
    clock.reset()
    yield County(app).setup()
    clock.reset()


def listed(county: County, who: str, tab: str = "all") -> list[str]:
    """The task ids GET /api/v1/tasks gives WHO."""
    response = county.api(who, "GET", "/tasks", query_string={"tab": tab})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [row["id"] for row in response.get_json()["items"]]


def test_a_clerk_of_another_branch_may_not_see_or_take_a_walk_in(county: County) -> None:
    case = county.walk_in("clerk_ty")
    task = county.task(case["id"], "accept")
    accept = {"data": {"outcome": "accept"}}

    assert task not in listed(county, "clerk_ya")
    assert task not in listed(county, "clerk_ya", "group")
    assert_problem(county.api("clerk_ya", "GET", f"/tasks/{task}"), 403)
    assert_problem(county.api("clerk_ya", "POST", f"/tasks/{task}/claim"), 403)
    assert_problem(county.api("clerk_ya", "POST", f"/tasks/{task}/complete", json=accept), 403)
    # nor the case itself, by the same rule
    assert county.api("clerk_ya", "GET", f"/cases/{case['id']}").status_code in (403, 404)
    assert case["id"] not in [c["id"] for c in
                              county.api("clerk_ya", "GET", "/cases").get_json()["items"]]
    assert county.api("clerk_ty2", "GET", f"/cases/{case['id']}").status_code == 200
    # a reviewer is no window clerk at all; the case is still waiting for acceptance
    assert_problem(county.api("rev_market", "POST", f"/tasks/{task}/complete", json=accept),
                   403)
    assert county.status(case["id"]) == "running"
    assert "task.completed" not in county.actions(case["id"])

    # any window clerk of the accepting branch may, not only the one who started it
    assert task in listed(county, "clerk_ty2", "group")
    assert county.api("clerk_ty2", "GET", f"/tasks/{task}").status_code == 200
    assert county.api("clerk_ty2", "POST", f"/tasks/{task}/claim").status_code == 200
    assert listed(county, "clerk_ty2", "mine") == [task]
    done = county.api("clerk_ty2", "POST", f"/tasks/{task}/complete", json=accept)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["task"]["completed_by"] == "clerk_ty2"


def test_the_accepting_branch_completes_without_claiming_first(county: County) -> None:
    case = county.walk_in("clerk_ya", name="杨安小吃店")
    task = county.task(case["id"], "accept")
    assert task in listed(county, "clerk_ya") and task not in listed(county, "clerk_ty")
    assert_problem(county.api("clerk_ty", "POST", f"/tasks/{task}/complete",
                              json={"data": {"outcome": "accept"}}), 403)
    county.accept(case["id"], clerk="clerk_ya")
    # the departments' reviews are scoped to the department, wherever the case came in
    reviews = [w.id for w in county.open_items(case["id"])]
    assert reviews and set(reviews) <= set(listed(county, "rev_market")) | set(
        listed(county, "rev_fire"))
    assert not set(reviews) & set(listed(county, "clerk_ya"))


def test_overseers_see_but_only_candidates_work(county: County) -> None:
    task = county.task(county.walk_in("clerk_ty")["id"], "accept")
    # a supervisor sees every task, and may hand it on, but is no window clerk
    assert county.api("supervisor", "GET", f"/tasks/{task}").status_code == 200
    assert_problem(county.api("supervisor", "POST", f"/tasks/{task}/claim"), 403)
    assert task not in listed(county, "supervisor")
    # the applicant, who is not a candidate, sees nothing of the acceptance
    assert_problem(county.api("applicant_ent", "GET", f"/tasks/{task}"), 403)
    assert task not in listed(county, "applicant_ent")


def test_the_pages_refuse_the_other_branch(county: County) -> None:
    task = county.task(county.walk_in("clerk_ty")["id"], "accept")
    page = county.app.test_client()
    token = CSRF.search(page.get("/login").get_data(as_text=True))
    assert token
    signed = page.post("/login", data={"username": "clerk_ya", "password": PASSWORD,
                                       "csrf_token": token.group(1)})
    assert signed.status_code == 302, signed.get_data(as_text=True)
    assert page.get(f"/workbench/tasks/{task}").status_code == 403
    inbox = CSRF.search(page.get("/workbench").get_data(as_text=True))
    assert inbox
    claimed = page.post(f"/workbench/tasks/{task}/claim", data={"csrf_token": inbox.group(1)})
    assert claimed.status_code == 403
    with unit_of_work(county.factory, read_only=True) as s:
        assert s.scalar(select(WorkItem.assignee).where(WorkItem.id == task)) is None


ACTORS = {
    "clerk of Tieying": Actor("c1", frozenset(office_groups("window_clerk", "branch_tieying"))),
    "clerk of Yang'an": Actor("c2", frozenset(office_groups("window_clerk", "branch_yangan"))),
    "clerk posted nowhere": Actor("c3", frozenset({"window_clerk"})),
    "market reviewer": Actor("r1", frozenset(office_groups("reviewer", "dept_market"))),
    "fire reviewer": Actor("r2", frozenset(office_groups("reviewer", "dept_fire"))),
    "applicant": Actor("applicant_ent", frozenset({"applicant"})),
}


def test_the_per_task_rule_and_the_inbox_filter_agree(county: County) -> None:
    tieying = county.walk_in("clerk_ty")["id"]
    yangan = county.walk_in("clerk_ya", name="杨安小吃店")["id"]
    county.accept(tieying)
    with unit_of_work(county.factory) as s:
        # one task nobody was named for: it belongs to the office that accepted the case
        unnamed = county.task(yangan, "accept")
        s.execute(delete(Candidate).where(Candidate.work_item_id == unnamed))
        s.expire_all()
        bare = s.get(WorkItem, unnamed)
        work_keys.closed(s, [unnamed])
        work_keys.opened(s, s.get(Case, yangan), [bare])
        items = list(s.scalars(select(WorkItem).where(WorkItem.state == "open")))
        assert len(items) >= 4
        seen: dict[str, set[str]] = {}
        for label, who in ACTORS.items():
            by_sql = set(s.scalars(select(WorkItem.id).where(
                WorkItem.state == "open", task_access.candidate_filter(who))))
            by_keys = set(s.scalars(select(WorkItem.id).where(
                WorkItem.state == "open", task_access.claimable_filter(who))))
            by_item = {w.id for w in items if task_access.is_candidate(s, w, who)}
            assert by_sql == by_item, label
            assert by_keys == by_item, label
            # the group tab's count, read from the keys alone, says the same
            assert inbox.count(s, who, "group") == len(by_item), label
            seen[label] = by_item
        reviews = {w.id for w in items if w.case_id == tieying}
        assert seen["clerk of Yang'an"] == {unnamed}
        assert seen["clerk of Tieying"] == set()
        assert seen["clerk posted nowhere"] == set()
        assert seen["market reviewer"] | seen["fire reviewer"] == reviews
        assert seen["applicant"] == set()
        with pytest.raises(Forbidden):
            work_items.claim(s, unnamed, ACTORS["clerk of Tieying"])
        assert work_items.claim(s, unnamed, ACTORS["clerk of Yang'an"]).assignee == "c2"
