"""The clock, extension and calendar endpoints: bearer tokens, permissions, problem+json."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.core import clock
from tests.timelimits.conftest import at
from tests.timelimits.drive import ClockScenario
from tests.web.conftest import admin, app, client, make_user
from tests.web.support import assert_problem
from web.context import onething

__all__ = ["admin", "app", "client", "make_user"]


@pytest.fixture
def web(app, shipped_calendar) -> Iterator[ClockScenario]:
    """Restaurant cases driven through the app's own engine and database."""
    shared = onething(app)
    scenario = ClockScenario(shared.rt, shared.factory)
    scenario.deploy_bundle("restaurant")
    yield scenario
    clock.reset()


def test_the_case_clock_with_its_items(web, client, make_user):
    zhang = make_user("zhang_san", "applicant")
    li = make_user("li_si", "applicant")
    cid = web.new_case(at(2026, 9, 28, 9))
    number = web.case(cid).number
    body = assert_problem(client.get(f"/api/v1/cases/{cid}/clock", headers=zhang), 404)
    assert "not accepted" in body["detail"]
    web.accept(cid)
    shown = client.get(f"/api/v1/cases/{number}/clock", headers=zhang)
    assert shown.status_code == 200, shown.get_json()
    body = shown.get_json()
    assert (body["case_id"], body["number"], body["scope"]) == (cid, number, "case")
    assert body["due"] == at(2026, 10, 10, 17, 30).isoformat()
    assert (body["level"], body["paused"], body["extended"], body["confirmed"]) == \
        ("normal", False, False, True)
    assert (body["committed"], body["statutory"], body["used"]) == (5, 20, 0)
    assert {c["scope"] for c in body["items"]} == {"MS-001", "MS-010", "FR-001"}
    assert_problem(client.get(f"/api/v1/cases/{cid}/clock", headers=li), 403)
    assert_problem(client.get("/api/v1/cases/LL-1999-000001/clock", headers=zhang), 404)
    assert_problem(client.get(f"/api/v1/cases/{2**70}/clock", headers=zhang), 404)
    assert_problem(client.get(f"/api/v1/cases/{cid}/clock"), 401)


def test_an_extension_once_by_a_supervisor_or_leader(web, client, make_user):
    sup = make_user("sup_wang", "supervisor")
    leader = make_user("leader_wang", "leader")
    clerk = make_user("clerk_tieying", "window_clerk")
    li = make_user("li_si", "applicant")
    cid = web.new_case(at(2026, 9, 28, 9))
    web.accept(cid)
    url = f"/api/v1/cases/{cid}/clock/extend"
    asked = {"days": 3, "reason": "需现场核查 on-site check needed"}
    # the clerk who accepted the case sees it but may not approve; another applicant may not even
    # see it; a county leader sees every case and may approve
    assert_problem(client.post(url, json=asked, headers=clerk), 403)
    body = assert_problem(client.post(url, json=asked, headers=li), 404)
    assert "not found" in body["detail"]
    body = assert_problem(client.post(url, json={"days": 0, "reason": 5}, headers=sup), 422)
    assert {f["path"] for f in body["fields"]} == {"days", "reason"}
    assert_problem(client.post(url, json={**asked, "days": 61}, headers=sup), 422)
    assert_problem(client.post(url, json={**asked, "scope": "XX-999"}, headers=sup), 404)
    assert_problem(client.post("/api/v1/cases/424242/clock/extend", json=asked,
                               headers=sup), 404)
    assert web.clock(cid)["extended"] is False
    done = client.post(url, json=asked, headers=sup)
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["extended"] and body["committed"] == 8 and body["committed_original"] == 5
    assert body["extension"]["by"] == "sup_wang" and body["extension"]["days"] == 3
    assert body["due"] == at(2026, 10, 14, 17, 30).isoformat()
    assert "已延期" in assert_problem(client.post(url, json=asked, headers=sup),
                                      409)["detail"]
    # once only, whoever approves: the leader meets the same refusal
    assert_problem(client.post(url, json=asked, headers=leader), 409)


def test_calendar_coverage_and_warning(app, client, make_user, shipped_calendar):
    who = make_user("zhang_san", "applicant")
    try:
        known = client.get("/api/v1/calendar/coverage?year=2026", headers=who).get_json()
        assert (known["source"], known["confirmed"], known["covered"]) == \
            ("package", True, True)
        filed = client.get("/api/v1/calendar/coverage?year=2027", headers=who).get_json()
        assert (filed["source"], filed["file"], filed["confirmed"]) == \
            ("file", "2027.yaml", False)
        assert filed["holidays"] == 13
        none = client.get("/api/v1/calendar/coverage?year=2031", headers=who).get_json()
        assert (none["source"], none["covered"]) == ("none", False)
        for bad in ("", "?year=abc", "?year=3000", "?year=2026&month=1"):
            assert_problem(client.get(f"/api/v1/calendar/coverage{bad}", headers=who), 422)
        clock.freeze(at(2026, 3, 2))
        quiet = client.get("/api/v1/calendar/warning", headers=who).get_json()
        assert quiet == {"today": "2026-03-02", "warning": None, "zh": None, "en": None}
        clock.freeze(at(2026, 12, 1))
        loud = client.get("/api/v1/calendar/warning", headers=who).get_json()
        assert "2027" in loud["zh"] and "2027.yaml" in loud["en"]
        assert loud["warning"] == f"{loud['zh']} / {loud['en']}"
        assert_problem(client.get("/api/v1/calendar/warning"), 401)
    finally:
        clock.reset()
