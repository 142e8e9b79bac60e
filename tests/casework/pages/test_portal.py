"""The applicant portal: guide, situational answers, drafts, applying, tracking, diagram."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.casework import completion
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.models import Case, WorkItem
from tests.ui.conftest import csrf_of, sign_in
from web.context import onething

EN = {"Accept-Language": "en"}
ANSWERS = {"asked": "1", "answers.has_licence": "", "answers.area": "180",
           "answers.menu": "hot_food"}


def application(token: str, **extra: str) -> dict[str, str]:
    """A complete restaurant application as the form posts it."""
    form = {"csrf_token": token, "applicant": "铁营面馆", "id_number": "91371481MA3C000001",
            "contact_name": "张三", "contact_phone": "13800000000",
            "address": "铁营镇政府街1号", "answers.area": "180", "answers.menu": "hot_food",
            "office": "branch_tieying", "channel": "online"}
    form.update(extra)
    return form


def test_the_bundle_list_and_guide_are_public(client: FlaskClient, restaurant: str) -> None:
    listing = client.get("/portal/", headers=EN).get_data(as_text=True)
    assert 'data-testid="bundle-restaurant"' in listing and "Open a restaurant" in listing
    guide = client.get("/portal/bundles/restaurant", headers=EN).get_data(as_text=True)
    assert "Fire-safety check before opening" in guide and 'id="start-guide"' in guide


def test_the_answers_change_the_items(client: FlaskClient, restaurant: str) -> None:
    def items(**answers: str) -> set[str]:
        query = {"asked": "1", **{f"{k}": v for k, v in answers.items()}}
        page = client.get("/portal/bundles/restaurant/situation", query_string=query,
                          headers=EN).get_data(as_text=True)
        return set(re.findall(r'data-item="([A-Z]+-\d+)"', page))

    big = items(area="180", menu="hot_food")
    assert {"MS-001", "MS-010", "FR-001"} <= big and "UM-003" not in big
    licensed_with_sign = items(has_licence="true", area="180", menu="hot_food",
                               outdoor_sign="true")
    assert "MS-001" not in licensed_with_sign and "UM-003" in licensed_with_sign
    missing = client.get("/portal/bundles/restaurant/situation",
                         query_string={"asked": "1", "area": "lots"}, headers=EN)
    text = missing.get_data(as_text=True)
    assert "must be a number" in text and 'id="f-menu-error"' in text


def test_the_one_time_notice_prints(client: FlaskClient, restaurant: str) -> None:
    page = client.get("/portal/bundles/restaurant/notice",
                      query_string={"area": "180", "menu": "hot_food"}, headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="notice"' in text
    # the print button works through web/static/js/page.js: pages run no inline script
    assert "Food-business permit" in text and 'id="print" data-print' in text
    assert "/static/js/page.js" in text and "onclick=" not in text
    assert client.get("/portal/bundles/restaurant/notice", headers=EN).status_code == 422


def test_applying_needs_an_applicant(client: FlaskClient, person: Callable[..., str],
                                     restaurant: str) -> None:
    anonymous = client.get("/portal/bundles/restaurant/apply")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    person("clerk", "window_clerk")
    sign_in(client, "clerk")
    assert client.get("/portal/bundles/restaurant/apply").status_code == 403


def test_a_draft_is_saved_and_resumed(client: FlaskClient, person: Callable[..., str],
                                      restaurant: str) -> None:
    person("ann", "applicant")
    sign_in(client, "ann")
    token = csrf_of(client, "/portal/bundles/restaurant/apply")
    saved = client.post("/portal/bundles/restaurant/apply", data={
        "csrf_token": token, "applicant": "半填的面馆", "answers.area": "90",
        "action": "save"})
    assert saved.status_code == 302
    resume = saved.headers["Location"]
    assert "draft=" in resume
    page = client.get(resume, headers=EN).get_data(as_text=True)
    assert 'value="半填的面馆"' in page and 'value="90"' in page
    listing = client.get("/portal/cases", headers=EN).get_data(as_text=True)
    assert 'data-testid="draft-list"' in listing and "半填的面馆" in listing
    # another applicant cannot open it
    other = client.application.test_client()
    person("bob", "applicant")
    sign_in(other, "bob")
    assert other.get(resume).status_code == 404


def test_an_incomplete_submission_names_each_field(client: FlaskClient,
                                                   person: Callable[..., str],
                                                   restaurant: str) -> None:
    person("ann", "applicant")
    sign_in(client, "ann")
    token = csrf_of(client, "/portal/bundles/restaurant/apply")
    refused = client.post("/portal/bundles/restaurant/apply", headers=EN, data=application(
        token, contact_phone="call me", office="", action="submit"))
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'id="f-contact_phone-error"' in text and 'id="f-office-error"' in text
    assert 'name="draft_id"' in text  # kept as a draft meanwhile


def test_submitting_the_form_starts_a_case_and_the_page_tracks_it(
        app: Flask, client: FlaskClient, person: Callable[..., str], restaurant: str) -> None:
    person("ann", "applicant")
    sign_in(client, "ann")
    token = csrf_of(client, "/portal/bundles/restaurant/apply")
    submitted = client.post("/portal/bundles/restaurant/apply",
                            data=application(token, action="submit"))
    assert submitted.status_code == 302, submitted.get_data(as_text=True)
    with unit_of_work(onething(app).factory) as session:
        case = session.scalars(select(Case)).one()
        number, office, channel = case.number, case.office_code, case.channel
        open_items = [w.element_id for w in session.scalars(
            select(WorkItem).where(WorkItem.case_id == case.id, WorkItem.state == "open"))]
    assert submitted.headers["Location"] == f"/portal/cases/{number}"
    assert (office, channel) == ("branch_tieying", "online")
    assert open_items == ["accept"]
    page = client.get(f"/portal/cases/{number}", headers=EN).get_data(as_text=True)
    assert 'data-testid="timeline"' in page and "Application received" in page
    waiting = page.split('data-testid="waiting-on"', 1)[1].split("</ul>", 1)[0]
    assert "Check materials and accept" in waiting and "window clerk" in waiting
    assert 'data-testid="file-id_card"' in page  # materials to hand in
    listing = client.get("/portal/cases", headers=EN).get_data(as_text=True)
    assert f'data-case="{number}"' in listing and 'data-testid="draft-list"' not in listing


def test_the_diagram_api_gives_element_states(app: Flask, client: FlaskClient,
                                              person: Callable[..., str],
                                              restaurant: str) -> None:
    person("ann", "applicant")
    sign_in(client, "ann")
    client.post("/portal/bundles/restaurant/apply", data=application(
        csrf_of(client, "/portal/bundles/restaurant/apply"), action="submit"))
    with unit_of_work(onething(app).factory) as session:
        number = session.scalars(select(Case.number)).one()
    body: dict[str, Any] = client.get(f"/api/v1/cases/{number}/diagram").get_json()
    assert body["bpmn"].lstrip().startswith("<?xml") or "<bpmn:definitions" in body["bpmn"]
    assert body["states"]["accept"] == "current"
    assert "accept" in body["current"] and body["done"] and "choose_delivery" in body["pending"]
    person("eve", "applicant")
    stranger = app.test_client()
    sign_in(stranger, "eve")
    assert stranger.get(f"/api/v1/cases/{number}/diagram").status_code == 403
    assert stranger.get(f"/portal/cases/{number}").status_code == 403
    assert client.get("/portal/cases/LL-1999-000001").status_code == 404
    assert client.get("/api/v1/cases/LL-1999-000001/diagram").status_code == 404


def test_the_applicant_answers_a_supplement_request(app: Flask, client: FlaskClient,
                                                    person: Callable[..., str],
                                                    restaurant: str) -> None:
    person("ann", "applicant")
    sign_in(client, "ann")
    client.post("/portal/bundles/restaurant/apply", data=application(
        csrf_of(client, "/portal/bundles/restaurant/apply"), action="submit"))
    clerk = Actor("clerk", frozenset({"window_clerk"}))
    factory = onething(app).factory
    with unit_of_work(factory) as session:
        case = session.scalars(select(Case)).one()
        accept = session.scalars(select(WorkItem).where(WorkItem.element_id == "accept")).one()
        completion.complete(onething(app).rt, session, accept.id, {
            "outcome": "supplement", "missing_materials": ["premises_proof"],
            "supplement_note": "请补交租赁合同"}, clerk)
        number = case.number
    page = client.get(f"/portal/cases/{number}", headers=EN).get_data(as_text=True)
    assert 'data-testid="task-form-supplement"' in page
    told = client.get("/portal/notifications", headers=EN).get_data(as_text=True)
    waiting = told.split('data-testid="waiting-for-me"', 1)[1].split("</ul>", 1)[0]
    assert number in waiting and "Supplement materials" in waiting
    token = csrf_of(client, f"/portal/cases/{number}")
    with unit_of_work(factory) as session:
        item_id = session.scalars(select(WorkItem.id).where(
            WorkItem.element_id == "supplement", WorkItem.state == "open")).one()
    refused = client.post(f"/portal/cases/{number}/tasks/{item_id}", headers=EN,
                          data={"csrf_token": token})
    assert refused.status_code == 422
    done = client.post(f"/portal/cases/{number}/tasks/{item_id}", data={
        "csrf_token": token, "supplied": "true", "supplied_materials": "premises_proof"})
    assert done.status_code == 302
    with unit_of_work(factory) as session:
        state = session.get(WorkItem, item_id)
        assert state is not None and state.state == "completed"
    page = client.get(f"/portal/cases/{number}", headers=EN).get_data(as_text=True)
    assert "Supplement materials: done" in page


def test_an_agent_applies_for_its_principal(app: Flask, client: FlaskClient,
                                            person: Callable[..., str],
                                            restaurant: str) -> None:
    from datetime import timedelta

    from engine.casework import agency
    from engine.core import clock

    person("ann", "applicant")
    person("agent_x", "agent")
    with unit_of_work(onething(app).factory) as session:
        agency.authorize(session, Actor("ann", frozenset({"applicant"})), "agent_x",
                         ["apply", "supplement"], clock.now() + timedelta(days=30),
                         bundle="restaurant")
    sign_in(client, "agent_x")
    form = client.get("/portal/bundles/restaurant/apply",
                      query_string={"asked": "1", "area": "180", "menu": "hot_food"},
                      headers=EN).get_data(as_text=True)
    assert '<option value="ann"' in form and 'name="answers.area"' in form
    assert 'value="180"' in form  # carried over from the situational guide
    token = csrf_of(client, "/portal/bundles/restaurant/apply")
    saved = client.post("/portal/bundles/restaurant/apply",
                        data=application(token, on_behalf_of="ann", action="save"))
    draft = saved.headers["Location"].rsplit("draft=", 1)[1]
    sent = client.post("/portal/bundles/restaurant/apply",
                       data=application(token, draft_id=draft, version="1", action="submit"))
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with unit_of_work(onething(app).factory) as session:
        case = session.scalars(select(Case)).one()
        assert case.started_by == "agent_x for ann"
        number = case.number
    principal = app.test_client()
    sign_in(principal, "ann")
    mine = principal.get("/portal/cases").get_data(as_text=True)
    assert f'data-case="{number}"' in mine
    # a stale copy of the draft (version 1 again) is refused, not applied twice
    stale = client.post("/portal/bundles/restaurant/apply",
                        data=application(token, draft_id=draft, version="1", action="save"))
    assert stale.status_code == 409
