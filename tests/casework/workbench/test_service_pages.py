"""The staff service pages of the workbench: supervision, follow-ups, slots, visits, the
mobile window and the extension of a commitment clock."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.casework import cases, watches
from engine.core import clock
from engine.core.db import unit_of_work
from engine.models import (
    AppointmentSlot,
    CommitmentClock,
    MobileIntake,
    Rating,
    RatingFollowUp,
    SupervisionOrder,
    Visit,
)
from engine.org import users
from engine.service import ratings, visits
from engine.timelimits.clocks import recompute_all
from engine.timelimits.supervision import escalate_if_unanswered
from tests.casework.workbench.support import PASSWORD, County
from tests.casework.workbench.test_pages import csrf, sign_in

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 9, 28, 9, tzinfo=SHANGHAI)


@pytest.fixture
def frozen(county: County) -> Iterator[County]:
    """The county with the clock stopped on a Monday before National Day, and people who
    sign in as supervisor and leader."""
    clock.freeze(START)
    with unit_of_work(county.factory) as s:
        users.add_user(s, "sup_pw", PASSWORD, groups=["supervisor"])
        users.add_user(s, "lead_pw", PASSWORD, groups=["leader"])
    yield county
    clock.reset()


def red_case(county: County) -> int:
    """A restaurant case accepted on START whose clock is red two weeks later."""
    case = county.walk_in("clerk_ty")
    county.accept(case["id"])
    clock.freeze(datetime(2026, 10, 12, 9, tzinfo=SHANGHAI))
    with unit_of_work(county.factory) as s:
        recompute_all(s, clock.now())
    return int(case["id"])


def post(browser: FlaskClient, page: str, path: str, **data: str) -> tuple[int, str]:
    response = browser.post(path, data={"csrf_token": csrf(browser, page), **data})
    return response.status_code, response.get_data(as_text=True)


def test_supervisor_issues_an_order_the_reviewer_replies(frozen: County) -> None:
    case_id = red_case(frozen)
    sup = sign_in(frozen, "sup_pw")
    page = sup.get("/workbench/supervision").get_data(as_text=True)
    assert f'data-case-id="{case_id}" data-level="red"' in page
    assert 'data-testid="order-form"' in page

    # a past deadline and a missing addressee are refused with the reason, nothing stored
    status, body = post(sup, "/workbench/supervision", "/workbench/supervision/orders",
                        case_id=str(case_id), message="说明逾期原因", to_group="",
                        to_user="rev_market", deadline="2026-10-01T17:00")
    assert status == 422 and "期限" in body
    status, _ = post(sup, "/workbench/supervision", "/workbench/supervision/orders",
                     case_id=str(case_id), message="说明逾期原因", deadline="2026-10-13T17:00")
    assert status == 422
    status, _ = post(sup, "/workbench/supervision", "/workbench/supervision/orders",
                     case_id="x", message="m", to_user="rev_market",
                     deadline="2026-10-13T17:00")
    assert status == 422
    status, _ = post(sup, "/workbench/supervision", "/workbench/supervision/orders",
                     case_id=str(case_id + 99), message="m", to_user="rev_market",
                     deadline="2026-10-13T17:00")
    assert status == 404
    with unit_of_work(frozen.factory, read_only=True) as s:
        assert s.scalars(select(SupervisionOrder)).all() == []

    status, _ = post(sup, "/workbench/supervision", "/workbench/supervision/orders",
                     case_id=str(case_id), message="请说明逾期原因", to_user="rev_market",
                     deadline="2026-10-13T17:00")
    assert status == 303
    with unit_of_work(frozen.factory, read_only=True) as s:
        order = s.scalars(select(SupervisionOrder)).one()
        assert (order.to_user, order.deadline) == (
            "rev_market", datetime(2026, 10, 13, 17, tzinfo=SHANGHAI))
        order_id = order.id

    # a window clerk may not issue orders; the reviewer sees and answers the order
    clerk = sign_in(frozen, "clerk_ty")
    status, _ = post(clerk, "/workbench/supervision", "/workbench/supervision/orders",
                     case_id=str(case_id), message="m", to_user="rev_market",
                     deadline="2026-10-13T17:00")
    assert status == 403
    assert 'data-testid="supervision-queue"' not in clerk.get(
        "/workbench/supervision").get_data(as_text=True)
    rev = sign_in(frozen, "rev_market")
    mine = rev.get("/workbench/supervision").get_data(as_text=True)
    assert f'data-order-id="{order_id}" data-state="open"' in mine
    reply = f"/workbench/supervision/orders/{order_id}/reply"
    assert post(rev, "/workbench/supervision", reply, reply=" ")[0] == 422
    assert post(rev, "/workbench/supervision", reply, reply="今日办结")[0] == 303
    assert post(rev, "/workbench/supervision", reply, reply="again")[0] == 409
    shown = sup.get("/workbench/supervision").get_data(as_text=True)
    assert f'data-order-id="{order_id}" data-state="replied"' in shown and "今日办结" in shown


def test_leaders_see_escalated_orders(frozen: County) -> None:
    case_id = red_case(frozen)
    sup = sign_in(frozen, "sup_pw")
    post(sup, "/workbench/supervision", "/workbench/supervision/orders",
         case_id=str(case_id), message="请办结", to_group="reviewer", deadline="2026-10-13T17:00")
    with unit_of_work(frozen.factory) as s:
        order_id = s.scalars(select(SupervisionOrder.id)).one()
        assert escalate_if_unanswered(s, order_id, datetime(2026, 10, 13, 18,
                                                             tzinfo=SHANGHAI))
    page = sign_in(frozen, "lead_pw").get("/workbench/supervision").get_data(as_text=True)
    assert f'data-testid="escalated-order" data-order-id="{order_id}"' in page
    assert 'data-testid="escalated-order"' not in sup.get(
        "/workbench/supervision").get_data(as_text=True)


def test_a_supervisor_extends_the_clock_once_from_the_task_page(frozen: County) -> None:
    case = frozen.walk_in("clerk_ty")
    frozen.accept(case["id"])
    market = next(w for w in frozen.open_items(case["id"], "review")
                  if w.input_data.get("item_code") == "MS-001")
    task = f"/workbench/tasks/{market.id}"
    with unit_of_work(frozen.factory) as s:  # the supervisor follows the case
        watches.watch(s, cases.get_case(s, case["id"]),
                      users.actor_of(users.get_user(s, "sup_pw")))
    sup = sign_in(frozen, "sup_pw")
    assert 'data-testid="clock-extend-form"' in sup.get(task).get_data(as_text=True)
    assert 'data-testid="clock-extend-form"' not in sign_in(frozen, "rev_market").get(
        task).get_data(as_text=True)
    path = f"/workbench/cases/{case['id']}/clock/extend"
    status, body = post(sup, task, path, days="3", reason="", next=task)
    assert status == 422 and f'data-task-id="{market.id}"' in body and "延期理由" in body
    assert post(sup, task, path, days="many", reason="专家评审")[0] == 422
    response = sup.post(path, data={"csrf_token": csrf(sup, task), "days": "3",
                                    "reason": "专家评审", "next": task})
    assert (response.status_code, response.headers["Location"]) == (303, task)
    with unit_of_work(frozen.factory, read_only=True) as s:
        clk = s.scalars(select(CommitmentClock).where(
            CommitmentClock.case_id == case["id"], CommitmentClock.scope == "case")).one()
        assert (clk.extended_days, clk.extension_reason) == (3, "专家评审")
    assert 'data-testid="clock-extended"' in sup.get(task).get_data(as_text=True)
    assert post(sup, task, path, days="2", reason="again")[0] == 409
    rev = sign_in(frozen, "rev_market")
    assert post(rev, task, path, days="2", reason="x")[0] == 403


def test_follow_ups_go_verify_rectify_reply(frozen: County) -> None:
    with unit_of_work(frozen.factory) as s:
        rating = Rating(subject="visit:1", kind="visit", office_code="branch_tieying",
                        rater="applicant_ent", level="dissatisfied", score=2,
                        comment="排队太久", created_at=clock.now())
        s.add(rating)
        s.flush()
        follow_id = ratings.open_follow_up(s, rating, clock.now()).id
    sup = sign_in(frozen, "sup_pw")
    page = sup.get("/workbench/follow-ups").get_data(as_text=True)
    assert f'data-follow-up-id="{follow_id}" data-state="verify"' in page
    base = f"/workbench/follow-ups/{follow_id}"
    assert post(sup, "/workbench/follow-ups", f"{base}/verify", note=" ")[0] == 422
    assert post(sup, "/workbench/follow-ups", f"{base}/rectify", note="x")[0] == 409
    for step, note in (("verify", "属实"), ("rectify", "增开窗口"), ("reply", "已电话回复")):
        assert post(sup, "/workbench/follow-ups", f"{base}/{step}", note=note)[0] == 303
    with unit_of_work(frozen.factory, read_only=True) as s:
        done = s.get(RatingFollowUp, follow_id)
        assert done is not None
        assert (done.state, done.rectify_note) == ("closed", "增开窗口")
    # the office's clerk sees the follow-up but cannot record a step
    clerk = sign_in(frozen, "clerk_ty")
    shown = clerk.get("/workbench/follow-ups").get_data(as_text=True)
    assert f'data-follow-up-id="{follow_id}" data-state="closed"' in shown
    assert 'data-follow-up-id' not in sign_in(frozen, "clerk_ya").get(
        "/workbench/follow-ups").get_data(as_text=True)
    assert post(clerk, "/workbench/follow-ups", f"{base}/reply", note="x")[0] == 403


def test_a_clerk_opens_slots_and_sees_bookings(frozen: County) -> None:
    clerk = sign_in(frozen, "clerk_ty")
    page = "/workbench/slots"
    assert post(clerk, page, page, day="2026-09-29", starts="09:00", ends="08:00",
                capacity="5")[0] == 422
    assert post(clerk, page, page, day="2026-09-29", starts="12:00", ends="13:30",
                capacity="2")[0] == 422  # the lunch break needs a duty clerk
    assert post(clerk, page, page, day="2026-09-29", starts="09:00", ends="10:00",
                capacity="2")[0] == 303
    assert post(clerk, page, page, day="2026-09-29", starts="09:00", ends="10:00",
                capacity="2")[0] == 409
    assert post(clerk, page, page, day="2026-09-29", starts="12:00", ends="13:30",
                capacity="1", duty_clerk="clerk_ty2")[0] == 303
    with unit_of_work(frozen.factory, read_only=True) as s:
        slots = s.scalars(select(AppointmentSlot).order_by(AppointmentSlot.starts)).all()
        assert [(x.starts, x.after_hours, x.duty_clerk) for x in slots] == [
            ("09:00", False, None), ("12:00", True, "clerk_ty2")]
        slot_id = slots[0].id
    booked = frozen.api("applicant_ent", "POST", "/appointments", json={"slot_id": slot_id})
    assert booked.status_code == 201, booked.get_data(as_text=True)
    day = clerk.get("/workbench/slots?day=2026-09-29").get_data(as_text=True)
    assert f'data-slot-id="{slot_id}"' in day and 'data-testid="booking">applicant_ent' in day
    assert clerk.get("/workbench/slots?day=someday").status_code == 422
    assert clerk.get("/workbench/slots?office=branch_yangan").status_code == 403
    assert sign_in(frozen, "rev_market").get(page).status_code == 403


def test_a_clerk_assigns_a_visit_and_records_its_outcome(frozen: County) -> None:
    with unit_of_work(frozen.factory) as s:
        applicant = users.actor_of(users.get_user(s, "applicant_ent"))
        visit_id = visits.request(
            s, applicant, "branch_tieying", "铁营镇循环经济产业园 8 号", "park_enterprise",
            "园区企业", START + timedelta(days=1), START + timedelta(days=1, hours=2)).id
    clerk = sign_in(frozen, "clerk_ty")
    page = "/workbench/visits"
    assert f'data-visit-id="{visit_id}" data-status="requested"' in clerk.get(
        page).get_data(as_text=True)
    assign = f"/workbench/visits/{visit_id}/assign"
    assert post(clerk, page, assign, clerk="clerk_ya")[0] == 422
    assert post(clerk, page, assign, clerk="clerk_ty2")[0] == 303
    outcome = f"/workbench/visits/{visit_id}/outcome"
    assert post(clerk, page, outcome, materials_collected="on", notes="材料已收")[0] == 303
    assert post(clerk, page, outcome, notes="again")[0] == 409
    with unit_of_work(frozen.factory, read_only=True) as s:
        done = s.get(Visit, visit_id)
        assert done is not None
        assert (done.status, done.clerk, done.materials_collected,
                done.onsite_check_done) == ("done", "clerk_ty2", True, False)
    assert 'data-testid="visit-outcome"' in clerk.get(page).get_data(as_text=True)
    yangan = sign_in(frozen, "clerk_ya")
    assert 'data-visit-id' not in yangan.get(page).get_data(as_text=True)
    assert post(yangan, page, f"/workbench/visits/{visit_id + 9}/assign",
                clerk="clerk_ya")[0] == 404


def test_a_mobile_window_intake_starts_a_case(frozen: County) -> None:
    clerk = sign_in(frozen, "clerk_ty")
    page = "/workbench/mobile?bundle=restaurant"
    assert 'data-testid="mobile-form"' not in clerk.get("/workbench/mobile").get_data(
        as_text=True)
    form = clerk.get(page).get_data(as_text=True)
    assert 'data-testid="mobile-form"' in form and 'id="f-area"' in form
    good = {"office": "branch_tieying", "town": "铁营镇", "place": "铁营大集",
            "market_day": "2026-09-27", "bundle": "restaurant", "applicant": "铁营面馆",
            "area": "120", "menu": "hot_food"}
    status, body = post(clerk, page, "/workbench/mobile", **{**good, "menu": ""})
    assert status == 422 and 'id="f-menu-error"' in body
    intake = "/workbench/mobile"
    assert post(clerk, page, intake, **{**good, "town": " "})[0] == 422
    assert post(clerk, page, intake, **{**good, "market_day": "2026-09-01"})[0] == 422
    assert post(clerk, page, intake, **{**good, "applicant": ""})[0] == 422
    assert post(clerk, page, intake, **{**good, "office": "branch_yangan"})[0] == 403
    assert post(clerk, page, intake, **good)[0] == 303
    with unit_of_work(frozen.factory, read_only=True) as s:
        made = s.scalars(select(MobileIntake)).one()
        assert (made.town, made.place, made.clerk) == ("铁营镇", "铁营大集", "clerk_ty")
        case_id = made.case_id
    assert frozen.status(case_id) == "running"
    listed = clerk.get(intake).get_data(as_text=True)
    assert re.search(r'data-testid="intake" data-case-number="[^"]+">2026-09-27 · 铁营镇', listed)
    assert sign_in(frozen, "rev_market").get(intake).status_code == 403


def test_the_workbench_links_to_the_service_pages(frozen: County) -> None:
    inbox = sign_in(frozen, "clerk_ty").get("/workbench").get_data(as_text=True)
    for link in ("supervision", "follow-ups", "slots", "visits", "mobile"):
        assert f'data-testid="link-{link}"' in inbox
    reviewer = sign_in(frozen, "rev_market").get("/workbench").get_data(as_text=True)
    assert 'data-testid="link-supervision"' in reviewer
    assert 'data-testid="link-slots"' not in reviewer
