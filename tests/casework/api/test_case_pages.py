"""A case's work items and audit trail are paged by keyset; the case's own reply stays the
same size however long its history grows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.support import assert_problem, signboard_files, upload

LOOP = Path(__file__).resolve().parents[2] / "runtime" / "long_cases" / "data" / "loop.bpmn"
ROUNDS = 24


@pytest.fixture
def long_case(client, admin):
    """A loop case after ROUNDS completed rounds, and its size after the fifth."""
    assert upload(client, admin, LOOP).status_code == 201
    started = client.post("/api/v1/cases", headers=admin,
                          json={"process": "loop", "data": {"count": 1, "limit": 100}})
    case = started.get_json()
    early = 0
    for done in range(ROUNDS):
        [task] = case["work_items"]
        reply = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=admin,
                            json={"data": {}})
        assert reply.status_code == 200, reply.get_json()
        case = reply.get_json()["case"]
        if done == 4:
            early = len(client.get(f"/api/v1/cases/{case['id']}", headers=admin).get_data())
    return case, early


def every_page(client, headers, url, limit):
    items, after, pages = [], None, 0
    while True:
        query = f"{url}{'&' if '?' in url else '?'}limit={limit}"
        page = client.get(query + (f"&after={after}" if after else ""), headers=headers)
        assert page.status_code == 200, page.get_json()
        body = page.get_json()
        assert len(body["items"]) <= limit
        items += body["items"]
        pages += 1
        if body["next_cursor"] is None:
            return items, pages
        after = body["next_cursor"]


def test_the_case_reply_does_not_grow_with_its_history(client, admin, long_case):
    case, early = long_case
    shown = client.get(f"/api/v1/cases/{case['id']}", headers=admin)
    assert abs(len(shown.get_data()) - early) <= 8, (early, len(shown.get_data()))
    body = shown.get_json()
    assert "audit" not in body
    assert [w["state"] for w in body["work_items"]] == ["open"]
    assert body["counts"]["work_items"] == ROUNDS + 1


def test_work_items_are_paged_oldest_first_without_gaps_or_repeats(client, admin, long_case):
    case, _early = long_case
    url = f"/api/v1/cases/{case['number']}/work-items"
    items, pages = every_page(client, admin, url, limit=7)
    assert pages == 4 and len(items) == ROUNDS + 1
    assert len({w["id"] for w in items}) == len(items)
    assert [w["created_at"] for w in items] == sorted(w["created_at"] for w in items)
    assert [w["state"] for w in items] == ["completed"] * ROUNDS + ["open"]
    done, _pages = every_page(client, admin, f"{url}?state=completed", limit=10)
    assert [w["id"] for w in done] == [w["id"] for w in items[:-1]]


def test_the_audit_trail_is_paged_both_ways(client, admin, long_case):
    case, _early = long_case
    url = f"/api/v1/cases/{case['id']}/audit"
    oldest, pages = every_page(client, admin, url, limit=10)
    newest, _pages = every_page(client, admin, f"{url}?order=newest", limit=9)
    assert pages == -(-len(oldest) // 10)
    assert oldest[0]["action"] == "case.started"
    assert [e["action"] for e in oldest].count("task.completed") == ROUNDS
    assert [e["id"] for e in newest] == [e["id"] for e in reversed(oldest)]
    counted = client.get(f"/api/v1/cases/{case['id']}", headers=admin).get_json()["counts"]
    assert counted["audit"] == len(oldest)


def test_a_bad_cursor_or_page_size_is_refused_by_field(client, admin, long_case):
    case, _early = long_case
    for path in ("work-items", "audit"):
        url = f"/api/v1/cases/{case['id']}/{path}"
        for query in ("after=not-a-cursor", "after=WzEsMl0", "after=WyJ4Il0", "limit=0",
                      "limit=501",
                      # a time without its offset is not one this server wrote
                      "after=WyIyMDI2LTAxLTAxVDAwOjAwOjAwIiwgIngiXQ"):
            problem = assert_problem(client.get(f"{url}?{query}", headers=admin), 422)
            assert {f["path"] for f in problem["fields"]} <= {"after", "limit"}, query
    assert_problem(client.get("/api/v1/cases/999999/audit", headers=admin), 404)


def test_a_clerk_without_work_on_the_case_reads_neither_page(client, admin, make_user):
    upload(client, admin, *signboard_files())
    clerk = make_user("clerk_a", "window_clerk")
    other = make_user("market_b", "dept_market")
    started = client.post("/api/v1/cases", headers=clerk,
                          json={"process": "signboard", "data": {"applicant": "Noodle shop"}})
    case = started.get_json()
    for path in ("work-items", "audit"):
        url = f"/api/v1/cases/{case['number']}/{path}"
        assert client.get(url, headers=clerk).status_code == 200
        denied = client.get(url, headers=other)
        assert denied.status_code in (403, 404), denied.get_json()
        assert "items" not in denied.get_json()
