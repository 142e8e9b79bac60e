"""Ratings, their follow-ups and statistics, and the commitment figures over the API."""

from __future__ import annotations

import codecs
from datetime import datetime

from engine.core import clock
from engine.timelimits.commitment_figures import COLUMNS
from tests.timelimits.conftest import at
from tests.timelimits.test_api_clocks import admin, app, client, make_user, web
from tests.web.support import assert_problem

__all__ = ["admin", "app", "client", "make_user", "web"]


def test_a_bad_rating_and_its_follow_up(web, client, make_user):
    zhang = make_user("zhang_san", "applicant")
    li = make_user("li_si", "applicant")
    sup = make_user("sup_li", "supervisor")
    clerk = make_user("clerk", "window_clerk")
    cid = web.new_case(at(2026, 3, 2, 9))
    web.accept(cid)
    url = f"/api/v1/cases/{cid}/rating"
    rating = {"level": "dissatisfied", "comment": "等候时间太长"}
    assert_problem(client.post(url, json=rating, headers=zhang), 409)  # not ended yet
    clock.freeze(at(2026, 3, 4, 11))
    web.finish(cid)
    assert_problem(client.post(url, json=rating, headers=li), 403)
    assert_problem(client.post(url, json={"level": "meh"}, headers=zhang), 422)
    assert_problem(client.post(url, json={**rating, "comment": "长" * 2001}, headers=zhang),
                   422)
    assert_problem(client.post("/api/v1/cases/LL-1999-000001/rating", json=rating,
                               headers=zhang), 404)
    made = client.post(url, json=rating, headers=zhang)
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert (body["score"], body["level_zh"], body["subject"]) == (2, "不满意", f"case:{cid}")
    assert_problem(client.post(url, json={"level": "satisfied"}, headers=zhang), 409)

    assert_problem(client.get("/api/v1/follow-ups", headers=clerk), 403)
    assert_problem(client.get("/api/v1/follow-ups?state=lost", headers=sup), 422)
    items = client.get("/api/v1/follow-ups?state=verify", headers=sup).get_json()["items"]
    assert len(items) == 1 and items[0]["case_id"] == cid
    assert client.get("/api/v1/follow-ups?office=nowhere", headers=sup).get_json()["items"] == []
    # 15 working days from Wed 4 Mar 2026
    assert datetime.fromisoformat(items[0]["due"]) == at(2026, 3, 25, 17, 30)
    fid = items[0]["id"]
    steps = f"/api/v1/follow-ups/{fid}"
    assert_problem(client.post(f"{steps}/reply", json={"note": "x"}, headers=sup), 409)
    assert_problem(client.post(f"{steps}/verify", json={"note": "x"}, headers=clerk), 403)
    assert_problem(client.post(f"{steps}/verify", json={}, headers=sup), 422)
    assert_problem(client.post(f"/api/v1/follow-ups/{fid + 9}/verify", json={"note": "x"},
                               headers=sup), 404)
    for step in ("verify", "rectify", "reply"):
        done = client.post(f"{steps}/{step}", json={"note": f"{step} 已完成"}, headers=sup)
        assert done.status_code == 200, done.get_json()
    closed = done.get_json()
    assert closed["state"] == "closed" and closed["reply"]["note"] == "reply 已完成"
    assert closed["verify"]["by"] == "sup_li"
    assert client.get("/api/v1/follow-ups?state=verify", headers=sup).get_json()["items"] == []

    assert_problem(client.get("/api/v1/ratings/stats", headers=clerk), 403)
    stats = client.get("/api/v1/ratings/stats", headers=sup).get_json()
    by_bundle = {r["bundle"]: r for r in stats["by_bundle"]}
    assert by_bundle["restaurant"]["bad"] == 1 and by_bundle["restaurant"]["average"] == 2
    assert [lv["code"] for lv in stats["levels"]][0] == "very_satisfied"
    # the filters narrow the ratings counted, in both groupings
    other = client.get("/api/v1/ratings/stats?bundle=employment", headers=sup).get_json()
    assert other["by_bundle"] == [] and other["by_office"] == []
    office = stats["by_office"][0]["office"]
    same = client.get("/api/v1/ratings/stats", query_string={"bundle": "restaurant"},
                      headers=sup).get_json()
    assert [(r["office"], r["count"], r["bad"]) for r in same["by_office"]] == [(office, 1, 1)]
    elsewhere = client.get("/api/v1/ratings/stats", query_string={"office": "nowhere"},
                           headers=sup).get_json()
    assert elsewhere["by_bundle"] == [] and elsewhere["by_office"] == []
    assert_problem(client.get("/api/v1/ratings/stats?by=month", headers=sup), 422)


def test_a_window_visit_rating(web, client, make_user):
    zhang = make_user("zhang_san", "applicant")
    visit = {"reference": "W-20260304-017", "level": "very_satisfied", "office": "center"}
    made = client.post("/api/v1/visit-ratings", json=visit, headers=zhang)
    assert made.status_code == 201, made.get_json()
    assert (made.get_json()["subject"], made.get_json()["score"]) == ("visit:W-20260304-017", 5)
    assert_problem(client.post("/api/v1/visit-ratings", json=visit, headers=zhang), 409)
    assert_problem(client.post("/api/v1/visit-ratings", json={"level": "satisfied"},
                               headers=zhang), 422)
    assert_problem(client.post("/api/v1/visit-ratings", json={**visit, "reference": "x" * 101},
                               headers=zhang), 422)
    assert_problem(client.post("/api/v1/visit-ratings", json={**visit, "case": "424242"},
                               headers=zhang), 404)


def test_figures_as_json_and_csv(web, client, make_user):
    sup = make_user("sup_li", "supervisor")
    clerk = make_user("clerk", "window_clerk")
    early = web.new_case(at(2026, 3, 2, 9), who="a1")
    web.accept(early)
    running = web.new_case(at(2026, 3, 2, 9), who="a2")
    web.accept(running)
    clock.freeze(at(2026, 3, 4, 11))
    web.finish(early)
    rows = client.get("/api/v1/figures?bundle=restaurant&month=2026-03",
                      headers=sup).get_json()
    assert rows["columns"] == list(COLUMNS)
    assert len(rows["items"]) == 1
    row = rows["items"][0]
    assert (row["cases"], row["finished"], row["on_time_rate"], row["early_rate"]) == \
        (2, 1, 1.0, 1.0)
    assert client.get("/api/v1/figures?month=2026-04", headers=sup).get_json()["items"] == []
    csv = client.get("/api/v1/figures?month=2026-03&format=csv", headers=sup)
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert 'filename="figures-2026-03.csv"' in csv.headers["Content-Disposition"]
    # a UTF-8 byte order mark first, so Excel reads the Chinese office names right
    raw = csv.get_data()
    assert raw.startswith(codecs.BOM_UTF8)
    lines = raw[len(codecs.BOM_UTF8):].decode("utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 2
    assert lines[1].split(",")[1:5] == ["restaurant", "2026-03", "2", "1"]
    assert_problem(client.get("/api/v1/figures", headers=clerk), 403)
    for bad in ("month=2026-13", "month=March", "format=xml", "year=2026"):
        assert_problem(client.get(f"/api/v1/figures?{bad}", headers=sup), 422)


def test_the_figures_are_documented_as_json_and_csv(client):
    doc = client.get("/api/openapi.json").get_json()
    content = doc["paths"]["/api/v1/figures"]["get"]["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv"}
    assert content["text/csv"]["example"].startswith("office,bundle,month,")
