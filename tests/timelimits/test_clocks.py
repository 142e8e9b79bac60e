"""Commitment clocks of real restaurant cases: start, holidays, 2027, levels, extension."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from engine.core import clock
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.core.errors import Conflict, Forbidden
from engine.models import AuditEvent
from engine.timelimits import clocks
from tests.timelimits.conftest import at
from tests.timelimits.drive import ClockScenario

LEADER = Actor("leader", frozenset({"leader"}))


@pytest.fixture
def sc(rt, db, frozen, shipped_calendar):
    scenario = ClockScenario(rt, db)
    scenario.deploy_bundle("restaurant")
    return scenario


def test_clock_starts_at_acceptance_across_national_day(sc):
    cid = sc.new_case(at(2026, 9, 28, 9))
    with unit_of_work(sc.factory) as s:
        assert clocks.case_clock(s, cid) is None  # not accepted yet
    sc.accept(cid)
    shown = sc.clock(cid)
    # 5 working days from Mon 28 Sep: 29, 30 Sep, 8, 9, 10 Oct (a swapped Saturday)
    assert shown["due"] == at(2026, 10, 10, 17, 30).isoformat()
    assert shown["confirmed"] and shown["level"] == "normal" and not shown["paused"]
    items = {c["scope"]: c for c in shown["items"]}
    assert set(items) == {"MS-001", "MS-010", "FR-001"}
    assert items["MS-001"]["due"] == at(2026, 9, 29, 17, 30).isoformat()


def test_item_and_case_clocks_end_with_the_decisions(sc):
    cid = sc.new_case(at(2026, 9, 28, 9))
    sc.accept(cid)
    clock.freeze(at(2026, 9, 30, 11))
    sc.finish(cid)
    shown = sc.clock(cid)
    assert shown["finished"] and shown["on_time"] and shown["used"] == 2
    assert all(c["finished"] for c in shown["items"])


def test_levels_turn_yellow_then_red_by_the_job_and_are_audited(sc):
    cid = sc.new_case(at(2026, 9, 28, 9))
    sc.accept(cid)
    clock.freeze(at(2026, 10, 8, 10))  # 3 of 5 used, 2 left: yellow
    assert sc.jobs() >= 1
    assert sc.clock(cid)["level"] == "yellow"
    clock.freeze(at(2026, 10, 12, 9))  # past Sat 10 Oct 17:30
    assert sc.jobs() >= 1
    assert sc.clock(cid)["level"] == "red"
    with unit_of_work(sc.factory) as s:
        changes = [(e.before, e.after) for e in s.scalars(select(AuditEvent).where(
            AuditEvent.case_id == cid, AuditEvent.action == "clock.level",
            AuditEvent.detail["scope"].as_string() == "case"))]
    assert changes == [({"level": "normal"}, {"level": "yellow"}),
                       ({"level": "yellow"}, {"level": "red"})]


def test_extension_once_with_approver_and_reason(sc):
    cid = sc.new_case(at(2026, 9, 28, 9))
    sc.accept(cid)
    now = clock.now()
    with unit_of_work(sc.factory) as s, pytest.raises(Forbidden):
        clocks.extend(s, cid, Actor("clerk", frozenset({"window_clerk"})), 3, "x", now=now)
    with unit_of_work(sc.factory) as s:
        clocks.extend(s, cid, LEADER, 3, "需补充现场核查 on-site check needed", now=now)
    shown = sc.clock(cid)
    assert shown["extended"] and shown["extension"]["by"] == "leader"
    # 5 + 3 working days: ... 10, 12, 13, 14 Oct
    assert shown["due"] == at(2026, 10, 14, 17, 30).isoformat()
    with unit_of_work(sc.factory) as s, pytest.raises(Conflict):
        clocks.extend(s, cid, LEADER, 2, "again", now=now)


def test_a_case_crossing_into_2027_with_the_file(sc):
    cid = sc.new_case(at(2026, 12, 28, 9))
    sc.accept(cid)
    shown = sc.clock(cid)
    # 29, 30, 31 Dec, (1 Jan holiday by the file), 4, 5 Jan
    assert shown["due"] == at(2027, 1, 5, 17, 30).isoformat()
    assert shown["confirmed"] is False


def test_a_case_crossing_into_2027_without_the_file(rt, db, frozen, no_calendar_files):
    sc = ClockScenario(rt, db)
    sc.deploy_bundle("restaurant")
    cid = sc.new_case(at(2026, 12, 28, 9))
    sc.accept(cid)
    shown = sc.clock(cid)
    # weekdays only: 1 Jan 2027 counted as a working day, and the result says so
    assert shown["due"] == at(2027, 1, 4, 17, 30).isoformat()
    assert shown["confirmed"] is False


def test_pause_while_the_applicant_corrects_a_returned_item(sc):
    cid = sc.new_case(at(2026, 3, 2, 9))  # Monday
    sc.accept(cid)
    first_due = sc.clock(cid)["due"]
    clock.freeze(at(2026, 3, 3, 10))
    sc.decide(cid, "MS-010", {"decision": "return", "return_to": "supplement",
                              "return_reason": "请补交平面图"})
    shown = sc.clock(cid)
    assert shown["paused"] and shown["paused_reasons"] == ["correct"]
    items = {c["scope"]: c for c in shown["items"]}
    assert items["MS-010"]["paused"] and not items["FR-001"]["paused"]
    clock.freeze(at(2026, 3, 5, 16))  # Wed and Thu spent correcting: 2 working days
    sc.complete(cid, "correct", {"supplied": True}, actor=sc.applicant_actor(cid))
    shown = sc.clock(cid)
    assert not shown["paused"] and shown["paused_days"] == 2
    assert first_due == at(2026, 3, 9, 17, 30).isoformat()
    assert shown["due"] == at(2026, 3, 11, 17, 30).isoformat()
    with unit_of_work(sc.factory) as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).where(
            AuditEvent.case_id == cid, AuditEvent.action.like("clock.%")))]
    assert "clock.paused" in actions and "clock.resumed" in actions


def test_item_review_tasks_are_due_when_the_item_clock_says(sc):
    from engine.models import WorkItem

    cid = sc.new_case(at(2026, 9, 28, 9))
    sc.accept(cid)
    items = {c["scope"]: c for c in sc.clock(cid)["items"]}
    with unit_of_work(sc.factory) as s:
        reviews = s.scalars(select(WorkItem).where(WorkItem.case_id == cid,
                                                   WorkItem.element_id == "review",
                                                   WorkItem.state == "open")).all()
        due = {w.input_data["item_code"]: w.due_at for w in reviews}
    # working days across the National Day week, not the diagram's calendar-day estimate
    assert due == {code: datetime.fromisoformat(items[code]["due"])
                   for code in ("MS-001", "MS-010", "FR-001")}
    assert due["FR-001"] == at(2026, 10, 10, 17, 30)
