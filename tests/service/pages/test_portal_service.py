"""The applicant's service pages: appointments, door-to-door visits, the commitment clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine import workdays
from engine.core import clock
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.models import Appointment, AppointmentSlot, Office, Visit
from engine.org.offices.members import set_postings
from engine.org.users import actor_of, add_user, get_user
from engine.service import appointments, visits
from tests.timelimits.conftest import SHIPPED_CALENDAR
from tests.timelimits.drive import ClockScenario
from tests.ui.conftest import csrf_of, sign_in
from web.context import onething

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=SHANGHAI)  # a Tuesday morning
DAY = date(2026, 12, 2)
ADMIN = Actor("admin", is_admin=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser that asks for English pages (the texts below are the English ones)."""
    return english(app)


def english(app: Flask) -> FlaskClient:
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser


@pytest.fixture
def county(app: Flask) -> Iterator[Flask]:
    """An office with a duty clerk, slots on DAY (one at lunch time), the clock frozen."""
    clock.freeze(NOW)
    with unit_of_work(onething(app).factory) as s:
        office = Office(code="branch_tieying", name_zh="铁营分中心", name_en="Tieying branch",
                        level="branch")
        s.add(office)
        s.flush()
        clerk = add_user(s, "duty_wang", None)
        set_postings(s, clerk, [(office, "window_clerk", "resident")])
        appointments.create_slot(s, ADMIN, "branch_tieying", DAY, "09:00", "10:00", 1)
        appointments.create_slot(s, ADMIN, "branch_tieying", DAY, "12:00", "13:00", 2,
                                 duty_clerk="duty_wang")
    yield app
    clock.reset()


def slot_ids(app: Flask) -> dict[str, int]:
    with unit_of_work(onething(app).factory) as s:
        return {x.starts: x.id for x in s.scalars(select(AppointmentSlot))}


def post(client: FlaskClient, path: str, **data: str) -> str:
    """POST a page form with its CSRF token, follow the redirect, return the page."""
    token = csrf_of(client, "/portal/appointments")
    response = client.post(path, data={**data, "csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_slots_show_free_places_and_after_hours_service(county, client, person):
    sign_in(client, person("zhang_san", "applicant"))
    page = client.get(f"/portal/appointments?office=branch_tieying&day={DAY}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    ids = slot_ids(county)
    assert re.search(rf'data-testid="free-{ids["09:00"]}">1 / 1<', text)
    assert f'data-testid="after-hours-{ids["12:00"]}"' in text
    assert f'data-testid="after-hours-{ids["09:00"]}"' not in text
    assert "duty_wang" in text and 'data-testid="nav-appointments"' in text
    other_day = client.get("/portal/appointments?office=branch_tieying&day=2026-12-09")
    assert 'data-testid="no-slots"' in other_day.get_data(as_text=True)


def test_book_a_slot_until_it_is_full_move_and_cancel(county, client, person):
    ids = slot_ids(county)
    sign_in(client, person("zhang_san", "applicant"))
    page = post(client, "/portal/appointments", slot_id=str(ids["09:00"]),
                office="branch_tieying", day=DAY.isoformat(), purpose="开饭店")
    assert "2026-12-02 09:00" in page and f'data-testid="full-{ids["09:00"]}"' in page
    with unit_of_work(onething(county).factory) as s:
        mine = s.scalars(select(Appointment)).one()
        assert (mine.applicant, mine.slot_id, mine.purpose) == ("zhang_san", ids["09:00"], "开饭店")
        booking = mine.id

    other = english(county)
    sign_in(other, person("li_si", "applicant"))
    refused = post(other, "/portal/appointments", slot_id=str(ids["09:00"]))
    assert "That slot is full" in refused
    with unit_of_work(onething(county).factory) as s:
        assert s.scalars(select(Appointment)).all() == [s.get(Appointment, booking)]

    moved = post(client, f"/portal/appointments/{booking}/move", slot_id=str(ids["12:00"]))
    assert "Moved to 2026-12-02 12:00" in moved
    cancelled = post(client, f"/portal/appointments/{booking}/cancel")
    assert 'data-status="cancelled"' in cancelled
    with unit_of_work(onething(county).factory) as s:
        assert [x.booked for x in s.scalars(select(AppointmentSlot)
                                            .order_by(AppointmentSlot.starts))] == [0, 0]
        assert s.get(Appointment, booking).status == "cancelled"
    again = post(client, f"/portal/appointments/{booking}/cancel")
    assert "can no longer be changed" in again


def test_bad_booking_requests_are_clear_messages(county, client, person):
    ids = slot_ids(county)
    sign_in(client, person("zhang_san", "applicant"))
    assert "Choose a slot." in post(client, "/portal/appointments", slot_id="abc")
    assert "not found" in post(client, "/portal/appointments", slot_id="999999")
    assert "not found" in post(client, "/portal/appointments/424242/cancel")
    clock.freeze(datetime(2026, 12, 2, 9, 30, tzinfo=SHANGHAI))
    late = post(client, "/portal/appointments", slot_id=str(ids["09:00"]))
    assert "That time has already passed" in late
    assert client.get("/portal/appointments?office=branch_tieying&day=someday").status_code == 400
    assert client.get("/portal/appointments?office=nowhere").status_code == 404
    with unit_of_work(onething(county).factory) as s:
        assert s.scalars(select(Appointment)).all() == []


def test_only_applicants_open_the_service_pages(county, client, person):
    sign_in(client, person("clerk_li", "window_clerk"))
    assert client.get("/portal/appointments").status_code == 403
    assert client.get("/portal/visits").status_code == 403
    anonymous = english(county)
    assert anonymous.get("/portal/visits").status_code == 302


def visit_form(**changes: str) -> dict[str, str]:
    return {"office": "branch_tieying", "address": "乐陵市循环经济产业园8号",
            "phone": "13800000000", "reason_kind": "park_enterprise",
            "reason": "园区企业，材料多", "window_from": "2026-12-03T09:00",
            "window_until": "2026-12-03T11:00", **changes}


def test_request_a_visit_follow_its_outcome_and_call_one_off(county, client, person):
    sign_in(client, person("zhang_san", "applicant"))
    token = csrf_of(client, "/portal/visits")
    # what the form cannot hold (the API's model) is marked first, then what the office refuses
    for changes, marked in (({"address": "", "reason_kind": "bus"}, ("address", "reason_kind")),
                            ({"address": "前街", "window_from": "2026-11-30T09:00"},
                             ("address", "window_from"))):
        bad = client.post("/portal/visits", data={**visit_form(**changes), "csrf_token": token})
        assert bad.status_code == 422
        text = bad.get_data(as_text=True)
        for field in marked:
            assert f'data-testid="error-{field}"' in text
        assert 'data-testid="error-window_until"' not in text
    assert client.post("/portal/visits", data={**visit_form(window_until="soon"),
                                               "csrf_token": token}).status_code == 422
    assert client.post("/portal/visits", data={**visit_form(office="nowhere"),
                                               "csrf_token": token}).status_code == 422

    for _ in range(2):
        sent = client.post("/portal/visits", data={**visit_form(), "csrf_token": token})
        assert sent.status_code == 302
    with unit_of_work(onething(county).factory) as s:
        first, second = s.scalars(select(Visit).order_by(Visit.id)).all()
        assert first.window_from == datetime(2026, 12, 3, 9, tzinfo=SHANGHAI)
        staff = actor_of(get_user(s, "duty_wang"))
        visits.assign(s, staff, first.id, "duty_wang")
        visits.record_outcome(s, staff, first.id, materials_collected=True,
                              onsite_check_done=True, notes="已核查")
        done, pending = first.id, second.id
    page = client.get("/portal/visits").get_data(as_text=True)
    assert re.search(rf'data-testid="visit-outcome-{done}">\s*Materials collected', page)
    assert "已核查" in page and f'data-testid="cancel-visit-{done}"' not in page
    called = client.post(f"/portal/visits/{pending}/cancel", data={"csrf_token": token},
                         follow_redirects=True).get_data(as_text=True)
    assert f'data-visit="{pending}" data-status="cancelled"' in called
    again = client.post(f"/portal/visits/{done}/cancel", data={"csrf_token": token},
                        follow_redirects=True).get_data(as_text=True)
    assert "can no longer be changed" in again
    stranger = english(county)
    sign_in(stranger, person("li_si", "applicant"))
    other = stranger.post(f"/portal/visits/{done}/cancel", data={
        "csrf_token": csrf_of(stranger, "/portal/visits")}, follow_redirects=True)
    assert "not found" in other.get_data(as_text=True)


def test_the_case_page_shows_the_commitment_after_acceptance(app, client, person):
    workdays.use_calendar_dir(SHIPPED_CALENDAR)
    try:
        shared = onething(app)
        scenario = ClockScenario(shared.rt, shared.factory)
        scenario.deploy_bundle("restaurant")
        sign_in(client, person("zhang_san", "applicant"))
        cid = scenario.new_case(datetime(2026, 9, 28, 9, tzinfo=SHANGHAI))
        number = scenario.case(cid).number
        before = client.get(f"/portal/cases/{number}").get_data(as_text=True)
        assert 'data-testid="commitment"' not in before
        scenario.accept(cid)
        page = client.get(f"/portal/cases/{number}").get_data(as_text=True)
        assert 'data-testid="commitment" data-level="normal"' in page
        assert re.search(r'data-testid="promised-date">Oct 10, 2026', page), page
        assert re.search(r'data-testid="days-used">0 of 5 working days', page)
        assert 'data-testid="calendar-unconfirmed"' not in page
        clock.freeze(datetime(2026, 10, 12, 9, tzinfo=SHANGHAI))  # past Sat 10 Oct 17:30
        ran = scenario.jobs()  # the level job recomputes the warning level
        assert ran >= 1
        later = client.get(f"/portal/cases/{number}").get_data(as_text=True)
        assert 'data-level="red"' in later, later
        assert re.search(r'data-testid="days-used">(\d+) of 5', later).group(1) != "0"
    finally:
        workdays.use_calendar_dir(None)
        clock.reset()


def test_a_case_past_the_known_calendar_says_calendar_unconfirmed(app, client, person,
                                                                   tmp_path):
    empty = tmp_path / "no-calendar"
    empty.mkdir()
    workdays.use_calendar_dir(empty)
    try:
        shared = onething(app)
        scenario = ClockScenario(shared.rt, shared.factory)
        scenario.deploy_bundle("restaurant")
        sign_in(client, person("zhang_san", "applicant"))
        cid = scenario.new_case(datetime(2026, 12, 28, 9, tzinfo=SHANGHAI))
        scenario.accept(cid)
        page = client.get(f"/portal/cases/{scenario.case(cid).number}").get_data(as_text=True)
        assert 'data-testid="calendar-unconfirmed"' in page
        assert re.search(r'data-testid="promised-date">\w+ \d+, 2027', page), page
    finally:
        workdays.use_calendar_dir(None)
        clock.reset()
