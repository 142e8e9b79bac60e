"""Inbox tabs, counts, visibility by office, filters and keyset paging, through the API."""

from __future__ import annotations

from datetime import timedelta

from engine.core import clock
from tests.casework.workbench.support import County
from tests.web.support import assert_problem


def inbox(county: County, who: str, **query: str) -> dict:
    response = county.api(who, "GET", "/inbox", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def ids(page: dict) -> list[str]:
    return [row["id"] for row in page["items"]]


def test_each_clerk_sees_the_walk_ins_of_their_own_branch(county: County) -> None:
    ty = [county.walk_in("clerk_ty")["id"] for _ in range(2)]
    ya = county.walk_in("clerk_ya")["id"]

    mine = inbox(county, "clerk_ty", tab="group")
    assert sorted(row["case_id"] for row in mine["items"]) == sorted(ty)
    assert mine["counts"] == {"mine": 0, "group": 2, "watched": 0}
    assert {row["office"] for row in mine["items"]} == {"branch_tieying"}
    other = inbox(county, "clerk_ya", tab="group")
    assert [row["case_id"] for row in other["items"]] == [ya]
    # a reviewer has no acceptance work at all
    assert inbox(county, "rev_market", tab="group")["counts"]["group"] == 0


def test_claiming_moves_a_task_from_my_groups_to_mine(county: County) -> None:
    case = county.walk_in("clerk_ty")
    task = county.task(case["id"], "accept")
    assert county.api("clerk_ty", "POST", f"/tasks/{task}/claim").status_code == 200

    page = inbox(county, "clerk_ty", tab="mine")
    assert ids(page) == [task]
    assert page["counts"] == {"mine": 1, "group": 0, "watched": 0}
    # claimed work leaves the office colleague's group tab too
    assert inbox(county, "clerk_ty2", tab="group")["counts"]["group"] == 0


def test_the_watched_tab_holds_the_open_work_of_watched_cases(county: County) -> None:
    case = county.walk_in("clerk_ya")
    assert inbox(county, "supervisor", tab="watched")["items"] == []
    response = county.api("supervisor", "POST", f"/cases/{case['number']}/watch")
    assert response.get_json()["watching"] is True

    page = inbox(county, "supervisor", tab="watched")
    assert [row["case_number"] for row in page["items"]] == [case["number"]]
    assert page["counts"]["watched"] == 1
    listed = county.api("supervisor", "GET", "/watches").get_json()["items"]
    assert [w["number"] for w in listed] == [case["number"]]

    county.api("supervisor", "POST", f"/cases/{case['id']}/unwatch")
    assert inbox(county, "supervisor", tab="watched")["counts"]["watched"] == 0
    assert "case.watched" in county.actions(case["id"])


def test_only_people_involved_in_a_case_may_watch_it(county: County) -> None:
    case = county.walk_in("clerk_ty")
    county.accept(case["id"])
    # the fire reviewer has work on it; the applicant has none yet
    assert county.api("rev_fire", "POST", f"/cases/{case['id']}/watch").status_code == 200
    assert_problem(county.api("applicant_ent", "POST", f"/cases/{case['id']}/watch"), 403)
    assert_problem(county.api("rev_fire", "POST", "/cases/LL-1999-000001/watch"), 404)


def test_filters_narrow_every_tab(county: County) -> None:
    first = county.walk_in("clerk_ty")
    clock.advance(timedelta(hours=30))
    second = county.walk_in("clerk_ty")

    overdue = inbox(county, "clerk_ty", tab="group", overdue="true")
    assert [row["case_id"] for row in overdue["items"]] == [first["id"]]
    assert overdue["items"][0]["overdue"] is True
    assert overdue["counts"]["group"] == 1
    soon = clock.now() + timedelta(hours=12)
    before = inbox(county, "clerk_ty", tab="group", due_before=soon.isoformat())
    assert [row["case_id"] for row in before["items"]] == [first["id"]]
    assert inbox(county, "clerk_ty", tab="group", bundle="start-business")["items"] == []
    by_office = inbox(county, "clerk_ty", tab="group", office="branch_tieying")
    assert sorted(row["case_id"] for row in by_office["items"]) == sorted(
        [first["id"], second["id"]])
    assert inbox(county, "clerk_ty", tab="group", office="branch_yangan")["items"] == []


def test_keyset_pages_are_stable_and_complete(county: County) -> None:
    for _ in range(7):
        county.walk_in("clerk_ty")
        clock.advance(timedelta(minutes=5))
    for sort in ("due", "created"):
        everything = ids(inbox(county, "clerk_ty", tab="group", sort=sort, limit="50"))
        assert len(everything) == 7
        seen, after = [], None
        while True:
            query = {"tab": "group", "sort": sort, "limit": "3"}
            if after:
                query["after"] = after
            page = inbox(county, "clerk_ty", **query)
            seen += ids(page)
            after = page["next_cursor"]
            if after is None:
                break
            # work that arrives meanwhile sorts after the cursor and never shifts a page
            assert len(page["items"]) == 3
        assert seen == everything
    rows = inbox(county, "clerk_ty", tab="group", sort="due")["items"]
    assert [r["due_at"] for r in rows] == sorted(r["due_at"] for r in rows)


def test_bad_inbox_queries_are_422(county: County) -> None:
    for query in ({"tab": "everything"}, {"sort": "title"}, {"after": "not-a-cursor"},
                  {"limit": "0"}, {"due_before": "tomorrow"}, {"overdue": "maybe"}):
        response = county.api("clerk_ty", "GET", "/inbox", query_string=query)
        assert_problem(response, 422)
