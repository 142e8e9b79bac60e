"""The dashboard counts as finished only the cases that ended with a decision; withdrawn and
cancelled cases have figures of their own."""

from __future__ import annotations

from tests.org.admin.test_dashboard_api import at, finish, step


def _withdraw(client, admin, case):
    """The applicant's withdrawal, as the integration API delivers it."""
    sent = client.post("/api/v1/messages", headers=admin, json={
        "name": "withdraw", "business_key": case["business_key"],
        "payload": {"reason": "不开了"}})
    assert sent.status_code == 200, sent.get_json()
    assert sent.get_json()["cases"][0]["status"] == "completed"


def _start(client, admin, key):
    response = client.post("/api/v1/cases", headers=admin, json={
        "process": "restaurant", "office": "branch_tieying", "business_key": key,
        "data": {"applicant": "铁营面馆", "answers": {"has_licence": False, "area": 180,
                                                  "menu": "hot_food",
                                                  "outdoor_sign": False}}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _three_endings(client, admin):
    at(1)
    decided = _start(client, admin, "BK-decided")
    gone = _start(client, admin, "BK-withdrawn")
    dropped = _start(client, admin, "BK-cancelled")
    for case in (decided, gone, dropped):
        step(client, admin, case, ["accept"])
    at(2)
    _withdraw(client, admin, gone)
    cancelled = client.post(f"/api/v1/cases/{dropped['id']}/cancel", headers=admin,
                            json={"reason": "重复申请"})
    assert cancelled.status_code == 200, cancelled.get_json()
    finish(client, admin, decided)
    at(3)


def test_withdrawn_and_cancelled_cases_are_not_finished_nor_on_time(client, admin, deployed):
    _three_endings(client, admin)
    body = client.get("/api/v1/dashboard", headers=admin).get_json()
    [figures] = body["tables"]["commitment"]
    assert figures["cases"] == 3
    assert figures["finished"] == 1
    assert figures["on_time_rate"] == 1.0 and figures["early_rate"] == 1.0
    assert (figures["withdrawn"], figures["cancelled"], figures["errors"]) == (1, 1, 0)
    assert figures["overdue"] == 0
    [row] = body["tables"]["throughput"]
    assert (row["closed"], row["closed_within_commitment"]) == (1, 1)
    assert (row["withdrawn"], row["cancelled"], row["in_progress"]) == (1, 1, 0)
    assert body["totals"]["closed"] == 1
    assert (body["totals"]["withdrawn"], body["totals"]["cancelled"]) == (1, 1)
    assert body["labels"]["offices"]["branch_tieying"]["zh_CN"] == "铁营分局"
    assert body["labels"]["bundles"]["restaurant"]["zh_CN"].startswith("开")


def test_figures_api_counts_them_apart_too(client, admin, deployed):
    _three_endings(client, admin)
    [row] = client.get("/api/v1/figures", headers=admin).get_json()["items"]
    assert (row["finished"], row["withdrawn"], row["cancelled"]) == (1, 1, 1)


def test_the_page_shows_rates_as_percentages_and_names(client, admin, deployed, app):
    at(1)
    cases = [_start(client, admin, f"BK-{n}") for n in range(3)]
    for case in cases:
        step(client, admin, case, ["accept"])
    at(2)
    finish(client, admin, cases[0])
    _withdraw(client, admin, cases[1])
    client.post(f"/api/v1/cases/{cases[2]['id']}/cancel", headers=admin, json={})
    at(12)
    page = _page(app)
    # on time and early: one of one decided case (the other two are not finished)
    assert page.count('<td class="num">100.0%</td>') == 2
    assert "铁营分局" in page and ">branch_tieying<" not in page
    assert '<div class="apart" data-total="withdrawn"><strong>1</strong>已撤回</div>' in page
    assert '<div class="apart" data-total="cancelled"><strong>1</strong>已取消</div>' in page
    assert '<div data-total="closed"><strong>1</strong>已办结（已作决定）</div>' in page


def _page(app):
    """The dashboard page as a leader reads it (signed in through the login form)."""
    from engine.core.db import unit_of_work
    from engine.org import users
    from tests.ui.conftest import PASSWORD, sign_in
    from web.context import onething

    with unit_of_work(onething(app).factory) as session:
        users.add_user(session, "leader_d", PASSWORD, groups=["leader"])
    browser = app.test_client()
    sign_in(browser, "leader_d")
    response = browser.get("/admin/dashboard")
    assert response.status_code == 200
    return response.get_data(as_text=True)
