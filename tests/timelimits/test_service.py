"""Supervision orders escalating, ratings with follow-up, and the commitment figures."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.core import clock
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.core.errors import Conflict, Forbidden
from engine.models import RatingFollowUp
from engine.service import ratings
from engine.timelimits import commitment_figures, supervision
from tests.timelimits.conftest import at
from tests.timelimits.drive import ClockScenario
from tests.timelimits.test_clocks import sc  # noqa: F401 - the shared fixture

SUPERVISOR = Actor("supervisor", frozenset({"supervisor"}))
CLERK = Actor("clerk_tieying", frozenset({"window_clerk"}))


def test_supervision_queue_order_and_escalation(sc: ClockScenario):  # noqa: F811
    cid = sc.new_case(at(2026, 9, 28, 9))
    sc.accept(cid)
    clock.freeze(at(2026, 10, 12, 9))
    sc.jobs()  # the case is red now
    with unit_of_work(sc.factory) as s:
        assert [q["case_id"] for q in supervision.queue(s, SUPERVISOR)] == [cid]
        with pytest.raises(Forbidden):
            supervision.queue(s, CLERK)
        order = supervision.issue(s, cid, SUPERVISOR, message="请说明逾期原因并于明日办结",
                                  deadline=at(2026, 10, 13, 17), to_group="reviewer@dept_market")
        order_id = order.id
    clock.freeze(at(2026, 10, 13, 16))
    sc.jobs()
    with unit_of_work(sc.factory) as s:
        assert supervision.orders(s, SUPERVISOR, case_id=cid)[0].state == "open"
    clock.freeze(at(2026, 10, 13, 18))
    sc.jobs()
    with unit_of_work(sc.factory) as s:
        order = supervision.orders(s, SUPERVISOR, case_id=cid)[0]
        assert (order.state, order.escalated_to) == ("escalated", "leader")
        reviewer = Actor("rev", frozenset({"reviewer@dept_market"}))
        assert supervision.reply(s, order_id, reviewer, "已于今日办结").state == "replied"
        with pytest.raises(Conflict):
            supervision.reply(s, order_id, reviewer, "again")


def test_bad_rating_opens_its_follow_up_once_by_the_applicant(sc):  # noqa: F811
    cid = sc.new_case(at(2026, 3, 2, 9))
    sc.accept(cid)
    with unit_of_work(sc.factory) as s, pytest.raises(Conflict):
        ratings.rate_case(s, cid, Actor("zhang_san"), "satisfied")  # not ended yet
    sc.finish(cid)
    with unit_of_work(sc.factory) as s, pytest.raises(Forbidden):
        ratings.rate_case(s, cid, Actor("li_si"), "satisfied")
    with unit_of_work(sc.factory) as s:
        rating = ratings.rate_case(s, cid, Actor("zhang_san"), "dissatisfied", "等候时间太长")
        assert rating.score == 2
    with unit_of_work(sc.factory) as s, pytest.raises(Conflict):
        ratings.rate_case(s, cid, Actor("zhang_san"), "satisfied")
    with unit_of_work(sc.factory) as s:
        follow = s.scalars(select(RatingFollowUp)).one()
        # 15 working days from Mon 2 Mar 2026: Mon 23 Mar
        assert follow.due_at == at(2026, 3, 23, 17, 30) and follow.state == "verify"
        with pytest.raises(Conflict):
            ratings.advance_follow_up(s, follow.id, SUPERVISOR, "reply", "x")
        for step in ratings.FOLLOW_UP_STEPS:
            ratings.advance_follow_up(s, follow.id, SUPERVISOR, step, f"{step} done")
        assert follow.state == "closed"
        stats = ratings.statistics(s, by="bundle")
    assert stats[0]["bundle"] == "restaurant" and stats[0]["bad"] == 1


def test_figures_on_a_few_cases(sc):  # noqa: F811
    early = sc.new_case(at(2026, 3, 2, 9), who="a1")
    sc.accept(early)
    late = sc.new_case(at(2026, 3, 2, 9), who="a2")
    sc.accept(late)
    running = sc.new_case(at(2026, 3, 2, 9), who="a3")
    sc.accept(running)
    clock.freeze(at(2026, 3, 4, 11))
    sc.finish(early)  # 2 of 5 days used: on time and early
    clock.freeze(at(2026, 3, 12, 11))
    sc.finish(late)  # due Mon 9 Mar: late
    with unit_of_work(sc.factory) as s:
        ratings.rate_case(s, early, Actor("a1"), "very_satisfied")
        rows = commitment_figures.figures(s, bundle="restaurant", month="2026-03")
        assert commitment_figures.figures(s, month="2026-04") == []
    assert len(rows) == 1
    row = rows[0]
    assert (row["cases"], row["finished"], row["overdue"]) == (3, 2, 2)
    assert row["on_time_rate"] == 0.5 and row["early_rate"] == 0.5
    assert row["avg_used_days"] == (2 + 8) / 2
    assert row["ratings"] == 1 and row["rating_average"] == 5
    text = commitment_figures.as_csv(rows)
    assert text.splitlines()[0].startswith("office,bundle,month,cases")
