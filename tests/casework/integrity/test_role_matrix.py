"""Role x task matrix over the shipped bundles, over HTTP: for every open task of a case
driven to each wait state, every demo account, an applicant and an agent of another
enterprise, and staff of another office try to see, list, claim and complete it, and to
read the case, its diagram and its materials. Only the competent succeed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.core.db import unit_of_work
from engine.models import WorkItem
from engine.org import users
from tests.casework.integrity.county import (
    AGENT,
    AGENT_TWO,
    APPLICANT,
    APPLICANT_TWO,
    KEYS,
    OFFICE,
    org_postings,
    valid,
)
from tests.casework.integrity.drive import ADMIN, Drive, competent, states_of
from web.context import onething
from web.demo_accounts import DEMO_ACCOUNTS

PEOPLE = sorted({a.username for a in DEMO_ACCOUNTS}
                | {APPLICANT_TWO, AGENT_TWO, "clerk_yangan", "reviewer_urban",
                   "reviewer_tieying"})
# they read every case, and work none of its tasks
READERS = {ADMIN, "supervisor", "leader"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Http:
    """Tokens for every person, and the calls the matrix makes."""

    def __init__(self, app: Flask) -> None:
        self.client: FlaskClient = app.test_client()
        self.factory = onething(app).factory
        self.tokens: dict[str, dict[str, str]] = {}

    def call(self, who: str, method: str, path: str, **kw: Any) -> Any:
        if who not in self.tokens:
            with unit_of_work(self.factory) as s:
                token = users.create_token(s, who, "tests")
            self.tokens[who] = {"Authorization": f"Bearer {token}"}
        return self.client.open(f"/api/v1{path}", method=method, headers=self.tokens[who],
                                **kw)

    def start(self, key: str, who: str, answers: dict[str, Any]) -> int:
        response = self.call(who, "POST", "/cases", json={
            "process": key, "office": OFFICE, "channel": "online",
            "data": {"applicant": "铁营好味道", "answers": answers}})
        assert response.status_code == 201, response.get_data(as_text=True)
        cid: int = response.get_json()["id"]
        return cid

    def complete(self, who: str, item_id: str, data: dict[str, Any],
                 for_whom: str | None) -> None:
        body: dict[str, Any] = {"data": data}
        if for_whom:
            body["on_behalf_of"] = for_whom
        response = self.call(who, "POST", f"/tasks/{item_id}/complete", json=body)
        assert response.status_code == 200, (who, response.get_data(as_text=True))


@pytest.fixture
def http(county_app: Flask) -> Http:
    return Http(county_app)


def case_readers(drive: Drive, cid: int, posts: dict[tuple[str, str], set[str]]) -> set[str]:
    """Who may see the case: its applicant and agent, readers, and whoever has work on it."""
    case = drive.case(cid)
    seen = {APPLICANT, AGENT} | READERS
    with unit_of_work(drive.factory, read_only=True) as s:
        for item in s.query(WorkItem).filter_by(case_id=cid):
            seen |= {item.completed_by or "", item.assignee or ""}
            if item.state == "open" and item.assignee is None:
                seen |= competent(item, case, posts)
    return seen - {""}


@pytest.mark.parametrize("key", KEYS)
def test_only_the_competent_see_claim_and_complete(http: Http, key: str) -> None:
    posts = org_postings()
    drive = Drive(http.factory, http.start, http.complete, posts)
    tried = 0
    for state in states_of(key):
        cid = drive.to_state(key, state)
        case = drive.case(cid)
        upload = http.call(APPLICANT, "POST", f"/cases/{case.number}/materials",
                           data={"code": "id_card",
                                 "file": (io.BytesIO(PDF), "form.pdf")})
        assert upload.status_code == 201, upload.get_data(as_text=True)
        material = upload.get_json()["id"]
        readers = case_readers(drive, cid, posts)
        for who in PEOPLE:
            sees = who in readers
            shown = http.call(who, "GET", f"/cases/{case.number}")
            assert (shown.status_code == 200) == sees, (state, who, shown.status_code)
            assert shown.status_code in (200, 403, 404)
            diagram = http.call(who, "GET", f"/cases/{case.number}/diagram")
            assert (diagram.status_code == 200) == sees, (state, who, "diagram")
            got = http.call(who, "GET", f"/cases/{case.number}/materials/{material}")
            assert (got.status_code == 200) == sees, (state, who, "material")
        for item in drive.open_items(cid):
            may = competent(item, case, posts)
            candidates = may - {ADMIN, AGENT}
            good = valid(key, item.element_id)
            for who in PEOPLE:
                tried += 1
                where = (state, item.element_id, who)
                seen = http.call(who, "GET", f"/tasks/{item.id}")
                assert (seen.status_code == 200) == (who in may | READERS), where
                listed = http.call(who, "GET", "/tasks?tab=all&limit=200").get_json()
                ids = {row["id"] for row in listed["items"]}
                assert (item.id in ids) == (who in candidates or who == ADMIN), where
                claim = http.call(who, "POST", f"/tasks/{item.id}/claim")
                if who in candidates or who == ADMIN:
                    assert claim.status_code == 200, (where, claim.get_data(as_text=True))
                    assert http.call(who, "POST", f"/tasks/{item.id}/unclaim").status_code \
                        == 200
                else:
                    assert claim.status_code == 403, (where, claim.status_code)
                if who in may:
                    continue  # the competent complete it when the drive moves on
                body: dict[str, Any] = {"data": good}
                if who in (AGENT, AGENT_TWO):
                    body["on_behalf_of"] = APPLICANT
                done = http.call(who, "POST", f"/tasks/{item.id}/complete", json=body)
                assert done.status_code == 403, (where, done.get_data(as_text=True))
    assert tried > 100
