"""The supervision endpoints: the queue, orders, replies and escalation over the API."""

from __future__ import annotations

from engine.core import clock
from tests.timelimits.conftest import at
from tests.timelimits.test_api_clocks import admin, app, client, make_user, web
from tests.web.support import assert_problem

__all__ = ["admin", "app", "client", "make_user", "web"]

ORDERS = "/api/v1/supervision/orders"


def test_queue_orders_replies_and_escalation(web, client, make_user):
    sup = make_user("sup_li", "supervisor")
    rev = make_user("rev_market", "reviewer@dept_market")
    clerk = make_user("clerk", "window_clerk")
    cid = web.new_case(at(2026, 9, 28, 9))
    web.accept(cid)
    clock.freeze(at(2026, 10, 12, 9))  # past the due day
    web.jobs()
    queue = client.get("/api/v1/supervision/queue", headers=sup).get_json()["items"]
    assert [(q["case_id"], q["level"]) for q in queue] == [(cid, "red")]
    assert client.get("/api/v1/supervision/queue?level=yellow",
                      headers=sup).get_json() == {"items": []}
    assert_problem(client.get("/api/v1/supervision/queue", headers=clerk), 403)
    assert_problem(client.get("/api/v1/supervision/queue?level=blue", headers=sup), 422)

    order = {"case": web.case(cid).number, "message": "请说明逾期原因并于明日办结",
             "deadline": at(2026, 10, 13, 17).isoformat(), "to_group": "reviewer@dept_market"}
    assert_problem(client.post(ORDERS, json=order, headers=clerk), 403)
    assert_problem(client.post(ORDERS, json={**order, "to_group": None}, headers=sup), 422)
    assert_problem(client.post(ORDERS, json={**order, "deadline": "2026-10-13T17:00"},
                               headers=sup), 422)
    assert_problem(client.post(ORDERS, json={**order, "deadline": "2026-10-01T17:00+08:00"},
                               headers=sup), 422)
    assert_problem(client.post(ORDERS, json={**order, "case": "LL-1999-000001"},
                               headers=sup), 404)
    made = client.post(ORDERS, json=order, headers=sup)
    assert made.status_code == 201, made.get_json()
    oid = made.get_json()["id"]
    assert made.get_json()["state"] == "open"

    assert [o["id"] for o in client.get(ORDERS, headers=sup).get_json()["items"]] == [oid]
    assert [o["id"] for o in client.get(ORDERS, headers=rev).get_json()["items"]] == [oid]
    assert client.get(ORDERS, headers=clerk).get_json() == {"items": []}
    assert client.get(f"{ORDERS}?state=replied", headers=sup).get_json() == {"items": []}
    assert len(client.get(f"{ORDERS}?case={cid}", headers=sup).get_json()["items"]) == 1
    assert_problem(client.get(f"{ORDERS}?state=lost", headers=sup), 422)
    assert_problem(client.get(f"{ORDERS}?case=LL-1999-000001", headers=sup), 404)
    assert client.get(f"{ORDERS}/{oid}", headers=rev).get_json()["message"] == order["message"]
    assert_problem(client.get(f"{ORDERS}/{oid}", headers=clerk), 404)
    assert_problem(client.get(f"{ORDERS}/{oid + 100}", headers=sup), 404)

    # unanswered by its deadline: escalated to the leaders by the job
    clock.freeze(at(2026, 10, 13, 18))
    web.jobs()
    shown = client.get(f"{ORDERS}/{oid}", headers=sup).get_json()
    assert (shown["state"], shown["escalated_to"]) == ("escalated", "leader")

    reply = f"{ORDERS}/{oid}/reply"
    assert_problem(client.post(reply, json={"reply": "x"}, headers=clerk), 403)
    assert_problem(client.post(reply, json={"reply": " "}, headers=rev), 422)
    assert_problem(client.post(f"{ORDERS}/{oid + 100}/reply", json={"reply": "x"},
                               headers=rev), 404)
    answered = client.post(reply, json={"reply": "已于今日办结"}, headers=rev)
    assert answered.status_code == 200, answered.get_json()
    assert (answered.get_json()["state"], answered.get_json()["replied_by"]) == \
        ("replied", "rev_market")
    assert_problem(client.post(reply, json={"reply": "again"}, headers=rev), 409)
