"""The applicant's side of a case belongs to its applicant and the agents it authorised:
withdrawal, its own steps, its data; a second applicant and a second agent reach none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from engine.casework import agency
from engine.core import clock
from engine.core.db import unit_of_work
from engine.models import AgencyAuthorization
from engine.org import users
from tests.casework.integrity.county import (
    AGENT,
    AGENT_TWO,
    APPLICANT,
    APPLICANT_TWO,
    actor_of,
    org_postings,
)
from tests.casework.integrity.drive import Drive
from tests.casework.integrity.test_role_matrix import Http
from tests.ui.conftest import PASSWORD, csrf_of, sign_in


@pytest.fixture
def http(county_app: Flask) -> Http:
    return Http(county_app)


@pytest.fixture
def drive(http: Http) -> Drive:
    return Drive(http.factory, http.start, http.complete, org_postings())


def test_only_the_applicant_or_its_agent_withdraws(http: Http, drive: Drive) -> None:
    cid = drive.to_state("restaurant", "reviews")
    number = drive.case(cid).number
    url = f"/cases/{number}/withdraw"
    why = {"reason": "经营计划调整"}
    for stranger in (APPLICANT_TWO, AGENT_TWO, "clerk_tieying", "reviewer_market"):
        assert http.call(stranger, "POST", url, json=why).status_code in (403, 404), stranger
    assert http.call(APPLICANT, "POST", url, json={"reason": "  "}).status_code == 422
    assert drive.case(cid).status == "running"
    done = http.call(AGENT, "POST", url, json=why)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["status"] == "completed"
    trail = http.call(APPLICANT, "GET", f"/cases/{number}/audit?order=newest&limit=5")
    audit = [e for e in trail.get_json()["items"] if e["action"] == "case.withdrawn"]
    assert audit and audit[0]["actor"] == f"{AGENT} for {APPLICANT}"
    # nothing is left to withdraw
    assert http.call(APPLICANT, "POST", url, json=why).status_code == 409


def test_the_applicant_withdraws_from_its_case_page(http: Http, drive: Drive,
                                                    county_app: Flask) -> None:
    cid = drive.to_state("restaurant", "reviews")
    number = drive.case(cid).number
    with unit_of_work(http.factory) as s:
        users.add_user(s, APPLICANT, PASSWORD, exist_ok=True)
    browser = county_app.test_client()
    sign_in(browser, APPLICANT)
    page = browser.get(f"/portal/cases/{number}").get_data(as_text=True)
    assert 'id="withdraw-form"' in page and "撤回申请" in page
    token = csrf_of(browser, f"/portal/cases/{number}")
    answer = browser.post(f"/portal/cases/{number}/withdraw",
                          data={"csrf_token": token, "reason": "不开了"})
    assert answer.status_code == 302
    assert drive.case(cid).status == "completed"
    page = browser.get(f"/portal/cases/{number}").get_data(as_text=True)
    assert 'id="withdraw-form"' not in page


def test_an_agent_loses_the_case_with_its_authorisation(http: Http, drive: Drive) -> None:
    cid = drive.to_state("restaurant", "supplement")
    number = drive.case(cid).number
    [step] = [i for i in drive.open_items(cid) if i.element_id == "supplement"]
    assert http.call(AGENT, "GET", f"/cases/{number}").status_code == 200
    assert http.call(AGENT, "GET", f"/tasks/{step.id}").status_code == 200
    with unit_of_work(http.factory) as s:
        grant = s.query(AgencyAuthorization).filter_by(agent=AGENT).one()
        agency.revoke(s, grant.id, actor_of(s, APPLICANT))
    assert http.call(AGENT, "GET", f"/cases/{number}").status_code in (403, 404)
    assert http.call(AGENT, "GET", f"/tasks/{step.id}").status_code == 403
    done = http.call(AGENT, "POST", f"/tasks/{step.id}/complete",
                     json={"data": {"supplied": True}, "on_behalf_of": APPLICANT})
    assert done.status_code == 403
    # an authorisation that has run out is no better
    with unit_of_work(http.factory) as s:
        agency.authorize(s, actor_of(s, APPLICANT), AGENT, ["all"],
                         clock.now() + timedelta(hours=1))
    assert http.call(AGENT, "GET", f"/cases/{number}").status_code == 200
    clock.advance(timedelta(hours=2))
    assert http.call(AGENT, "GET", f"/cases/{number}").status_code in (403, 404)


def test_staff_read_the_declared_data_and_nothing_internal(http: Http, drive: Drive) -> None:
    cid = drive.to_state("restaurant", "reviews")
    number = drive.case(cid).number
    shown = http.call("clerk_tieying", "GET", f"/cases/{number}/data")
    assert shown.status_code == 200, shown.get_data(as_text=True)
    names = {row["name"]: row for row in shown.get_json()["items"]}
    assert names["outcome"]["value"] == "accept"
    assert names["applicant"]["value"] == "铁营好味道"
    assert "answers" in names and names["outcome"]["title"] != "outcome"
    for internal in ("routing", "review_plan", "applicant_user", "review_group"):
        assert internal not in names
    for outsider in (APPLICANT_TWO, AGENT_TWO, "clerk_yangan", APPLICANT):
        assert http.call(outsider, "GET", f"/cases/{number}/data").status_code in (403, 404)
    assert http.call("leader", "GET", f"/cases/{number}/data").status_code == 200
