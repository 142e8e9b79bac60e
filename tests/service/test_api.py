"""The service endpoints: bearer-token API, permissions, problem+json for bad input."""

from __future__ import annotations

from engine.core import clock
from engine.core.db import unit_of_work
from engine.models import Office
from engine.service.notifications import outbox
from tests.service.support import MONDAY
from tests.web.support import assert_problem
from web.context import onething


def setup(app, make_user):
    clock.freeze(MONDAY)
    with unit_of_work(onething(app).factory) as s:
        s.add(Office(code="branch_tieying", name_zh="铁营分局", name_en="Tieying Branch",
                     level="branch"))
    return (make_user("clerk", "window_clerk", "office:branch_tieying"),
            make_user("zhang_san", "applicant"), make_user("li_si", "applicant"))


def test_book_move_cancel_and_the_inbox_over_the_api(app, client, make_user):
    try:
        clerk, zhang, li = setup(app, make_user)
        slot = {"office": "branch_tieying", "day": "2026-03-04", "starts": "09:00",
                "ends": "10:00", "capacity": 1}
        assert_problem(client.post("/api/v1/appointment-slots", json=slot, headers=zhang), 403)
        first = client.post("/api/v1/appointment-slots", json=slot, headers=clerk).get_json()
        second = client.post("/api/v1/appointment-slots", headers=clerk,
                             json={**slot, "starts": "10:00", "ends": "11:00"}).get_json()
        listed = client.get("/api/v1/appointment-slots?office=branch_tieying&from=2026-03-04",
                            headers=li).get_json()
        assert [s["free"] for s in listed["items"]] == [1, 1]
        made = client.post("/api/v1/appointments", json={"slot_id": first["id"]}, headers=zhang)
        assert made.status_code == 201, made.get_json()
        body = assert_problem(client.post("/api/v1/appointments", json={
            "slot_id": first["id"]}, headers=li), 409)
        assert "full" in body["detail"]
        aid = made.get_json()["id"]
        assert_problem(client.get(f"/api/v1/appointments/{aid}", headers=li), 404)
        moved = client.post(f"/api/v1/appointments/{aid}/move", json={"slot_id": second["id"]},
                            headers=zhang).get_json()
        assert moved["slot"]["id"] == second["id"]
        staff = client.get("/api/v1/appointments?office=branch_tieying", headers=clerk)
        assert [a["id"] for a in staff.get_json()["items"]] == [aid]
        assert client.post(f"/api/v1/appointments/{aid}/cancel", headers=zhang,
                           json={"reason": "改期"}).get_json()["status"] == "cancelled"
        assert_problem(client.post(f"/api/v1/appointments/{aid}/cancel", headers=zhang), 409)
        inbox = client.get("/api/v1/notifications", headers=zhang).get_json()
        assert (inbox["total"], inbox["unread"]) == (2, 2)
        assert all(n["template"] == "appointment_confirmed" for n in inbox["items"])
        nid = inbox["items"][0]["id"]
        assert_problem(client.post(f"/api/v1/notifications/{nid}/read", headers=li), 404)
        read = client.post(f"/api/v1/notifications/{nid}/read", headers=zhang).get_json()
        assert read["read_at"] is not None
        after = client.get("/api/v1/notifications", headers=zhang).get_json()
        assert after["unread"] == 1 and after["items"][-1]["id"] == nid
    finally:
        clock.reset()


def test_bad_input_is_a_clear_problem(app, client, make_user):
    try:
        clerk, zhang, _li = setup(app, make_user)
        bad_slot = {"office": "branch_tieying", "day": "2026-13-01", "starts": "9",
                    "ends": "10:00", "capacity": 0}
        body = assert_problem(client.post("/api/v1/appointment-slots", json=bad_slot,
                                          headers=clerk), 422)
        assert {f["path"] for f in body["fields"]} >= {"capacity"}
        assert_problem(client.post("/api/v1/appointments", json={"slot_id": 99},
                                   headers=zhang), 404)
        assert_problem(client.post("/api/v1/appointments", json={"slot": 1}, headers=zhang),
                       422)
        assert_problem(client.get("/api/v1/appointment-slots?office=nowhere", headers=zhang),
                       404)
        assert_problem(client.post("/api/v1/visits", headers=zhang, json={
            "office": "branch_tieying", "address": "乐陵市铁营镇前街12号",
            "reason_kind": "cannot_travel", "reason": "行动不便",
            "window_from": "2026-03-04T14:00:00", "window_until": "2026-03-04T16:00:00"}), 422)
        assert_problem(client.post("/api/v1/mobile-intakes", headers=zhang, json={
            "office": "branch_tieying", "town": "花园镇", "place": "集市",
            "market_day": "2026-03-02", "process": "restaurant"}), 403)
        assert_problem(client.post("/api/v1/notifications/99999999999999999999/read",
                                   headers=zhang), 404)
    finally:
        clock.reset()


def test_a_visit_over_the_api(app, client, make_user):
    try:
        clerk, zhang, _li = setup(app, make_user)
        made = client.post("/api/v1/visits", headers=zhang, json={
            "office": "branch_tieying", "address": "乐陵市铁营镇前街12号",
            "reason_kind": "cannot_travel", "reason": "行动不便",
            "window_from": "2026-03-04T14:00:00+08:00",
            "window_until": "2026-03-04T16:00:00+08:00"})
        assert made.status_code == 201, made.get_json()
        vid = made.get_json()["id"]
        assigned = client.post(f"/api/v1/visits/{vid}/assign", json={"clerk": "clerk"},
                               headers=clerk).get_json()
        assert assigned["status"] == "assigned"
        done = client.post(f"/api/v1/visits/{vid}/outcome", headers=clerk, json={
            "materials_collected": True, "onsite_check_done": False}).get_json()
        assert done["status"] == "done" and done["onsite_check_done"] is False
        mine = client.get("/api/v1/visits", headers=zhang).get_json()["items"]
        assert [v["id"] for v in mine] == [vid]
        with unit_of_work(onething(app).factory) as s:
            rows, _total, unread = outbox.inbox(s, _actor("zhang_san"))
            assert [r.template for r in rows] == ["visit_assigned"] and unread == 1
    finally:
        clock.reset()


def _actor(name):
    from engine.core.actors import Actor

    return Actor(name)
