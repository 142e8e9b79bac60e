"""Cooperation (协办): a reviewer brings the fire department in on a task of the market one."""

from __future__ import annotations

import pytest

from engine.casework import cases, completion, cooperation, work_items
from engine.core.db import unit_of_work
from engine.core.errors import Conflict, Forbidden
from engine.models import CooperationRequest, Office, WorkItem
from tests.casework.agency.support import FIRE, MARKET, PRINCIPAL, AgencyScenario
from tests.runtime.scenario import ADMIN

QUESTION = "后厨排烟管道是否需要单独消防验收？"


@pytest.fixture
def sc(rt, db) -> AgencyScenario:
    scenario = AgencyScenario(rt, db).setup()
    # a request goes only to a group some office has
    with unit_of_work(scenario.factory) as s:
        s.add(Office(code="dept_fire", name_zh="消防救援大队", name_en="Fire brigade",
                     level="department"))
    return scenario


def ask(sc: AgencyScenario, cid: int, code: str = "MS-010", who=MARKET) -> CooperationRequest:
    item = sc.reviews(cid)[code]
    with unit_of_work(sc.factory) as s:
        made = cooperation.ask(s, item.id, "reviewer@dept_fire", QUESTION, who, due_days=2)
        s.flush()
        s.expunge(made)
        return made


def answer(sc: AgencyScenario, ref: int | str, who=FIRE) -> CooperationRequest:
    with unit_of_work(sc.factory) as s:
        done = cooperation.answer(s, ref, "需要，按公众聚集场所办理。", who)
        s.flush()
        s.expunge(done)
        return done


def item_state(sc: AgencyScenario, item_id: str) -> str:
    with unit_of_work(sc.factory) as s:
        return s.get(WorkItem, item_id).state


def test_request_reaches_the_fire_inbox_and_its_answer_shows_on_the_case(sc):
    cid = sc.to_reviews()
    request = ask(sc, cid)
    with unit_of_work(sc.factory) as s:
        rows, _total = work_items.inbox(s, FIRE)
        mine = [work_items.as_dict(w) for w in rows if w.kind == "cooperation"]
        market_rows, _ = work_items.inbox(s, MARKET)
    assert [(m["id"], m["title"], m["candidate_groups"]) for m in mine] == [
        # titled by the task that asks, which names its item
        (request.cooperation_item_id,
         "协办: 部门审查决定：食品经营许可（MS-010） Department decides item MS-010",
         ["reviewer@dept_fire"])]
    assert mine[0]["documentation"] == QUESTION
    assert request.cooperation_item_id not in {w.id for w in market_rows}
    done = answer(sc, request.cooperation_item_id)
    assert (done.state, done.answered_by) == ("answered", FIRE.username)
    assert item_state(sc, request.cooperation_item_id) == "completed"
    shown = sc.show(cid)
    assert [(c["state"], c["answer"], c["task_id"]) for c in shown["cooperation"]] == [
        ("answered", "需要，按公众聚集场所办理。", request.work_item_id)]
    actions = [(e["action"], e["actor"]) for e in sc.trail(cid)][-2:]
    assert actions == [("cooperation.asked", MARKET.username),
                       ("cooperation.answered", FIRE.username)]


def test_main_task_is_not_blocked_and_the_sync_keeps_the_request_open(sc):
    cid = sc.to_reviews()
    request = ask(sc, cid)
    sc.decide(cid, "MS-010", {"decision": "approve", "certificate_no": "JY-0001"})
    sc.decide(cid, "MS-001", {"decision": "approve", "certificate_no": "YY-0001"})
    assert set(sc.reviews(cid)) == {"FR-001"}
    assert item_state(sc, request.cooperation_item_id) == "open"
    assert answer(sc, request.id).state == "answered"


def test_only_the_main_tasks_people_ask_and_only_the_group_answers(sc):
    cid = sc.to_reviews()
    with pytest.raises(Forbidden):
        ask(sc, cid, who=FIRE)  # MS-010 is the market department's task
    request = ask(sc, cid)
    with pytest.raises(Forbidden, match="may not answer"):
        answer(sc, request.id, who=MARKET)
    with unit_of_work(sc.factory) as s, pytest.raises(Conflict, match="cooperation API"):
        completion.complete(sc.rt, s, request.cooperation_item_id, {}, FIRE)
    answer(sc, request.id)
    with pytest.raises(Conflict, match="already answered"):
        answer(sc, request.id)


def test_cancelling_the_case_cancels_open_requests(sc):
    cid = sc.to_reviews()
    request = ask(sc, cid)
    with unit_of_work(sc.factory) as s:
        cases.cancel_case(sc.rt, s, cid, ADMIN, reason="applicant gave up")
    assert item_state(sc, request.cooperation_item_id) == "cancelled"
    assert [c["state"] for c in sc.show(cid)["cooperation"]] == ["cancelled"]
    with pytest.raises(Conflict):
        answer(sc, request.id)


def test_completing_the_case_cancels_open_requests(sc):
    cid = sc.to_reviews()
    request = ask(sc, cid)
    sc.approve_all(cid)
    case = sc.complete(cid, "choose_delivery", {"delivery": "window"}, actor=PRINCIPAL)
    assert case.status == "completed", case.error_message
    assert item_state(sc, request.cooperation_item_id) == "cancelled"
    assert [c["state"] for c in sc.show(cid)["cooperation"]] == ["cancelled"]
