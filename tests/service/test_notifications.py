"""The outbox: retries through a failing channel, the inbox, and messages from a real case."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.core import clock
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.core.errors import NotFound
from engine.models import Job
from engine.service.notifications import delivery, outbox
from tests.design.bundles.support import CLERK, BundleScenario
from tests.service.support import LI, ZHANG, FakeSms, messages, worker

RESTAURANT = {"has_licence": False, "area": 180, "menu": "hot_food", "outdoor_sign": False}


def test_a_failing_channel_keeps_the_message_until_a_retry_succeeds(rt, seeded):
    gateway = FakeSms(failures=2)
    before = delivery.configured()
    delivery.configure(gateway)
    try:
        with unit_of_work(seeded) as s:
            outbox.notify(s, "ready_for_pickup", {"case_number": "LL-2026-000009"},
                          user="zhang_san", phone="13800000002")
        worker(rt, seeded)
        [sms] = messages(seeded, channel="sms")
        assert (sms.status, sms.attempts, sms.sent_at) == ("pending", 1, None)
        assert "unreachable" in sms.last_error
        assert sms.next_attempt_at == clock.now() + delivery.backoff(1)
        clock.advance(delivery.backoff(1))
        worker(rt, seeded)
        [sms] = messages(seeded, channel="sms")
        assert (sms.status, sms.attempts) == ("pending", 2)
        clock.advance(delivery.backoff(2))
        worker(rt, seeded)
        [sms] = messages(seeded, channel="sms")
        assert (sms.status, sms.attempts, sms.last_error) == ("sent", 3, None)
        assert gateway.sent == [("sms", "13800000002", sms.subject, sms.body)]
        assert "LL-2026-000009" in sms.body
        with unit_of_work(seeded) as s:
            assert {j.status for j in s.query(Job).filter_by(kind="notification")} == {"done"}
    finally:
        delivery.configure(before)


def test_a_channel_that_never_recovers_ends_failed_but_kept(rt, seeded):
    before = delivery.configured()
    delivery.configure(FakeSms(failures=100))
    try:
        with unit_of_work(seeded) as s:
            outbox.notify(s, "ready_for_pickup", {"case_number": "X"}, email="a@example.org")
        for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
            worker(rt, seeded)
            clock.advance(delivery.backoff(attempt))
        [mail] = messages(seeded, channel="email")
        assert (mail.status, mail.attempts) == ("failed", delivery.MAX_ATTEMPTS)
        assert mail.body and "unreachable" in mail.last_error
    finally:
        delivery.configure(before)


def test_the_inbox_lists_unread_first_and_marks_read(seeded):
    with unit_of_work(seeded) as s:
        first = outbox.notify(s, "ready_for_pickup", {"case_number": "A-1"}, user="zhang_san")
        clock.advance(timedelta(minutes=1))
        second = outbox.notify(s, "ready_for_pickup", {"case_number": "A-2"}, user="zhang_san",
                               locale="en")
        outbox.notify(s, "ready_for_pickup", {"case_number": "B-1"}, user="li_si")
        ids = first[0].id, second[0].id
    with unit_of_work(seeded) as s:
        outbox.mark_read(s, ids[1], ZHANG)
    with unit_of_work(seeded) as s:
        rows, total, unread = outbox.inbox(s, ZHANG)
        assert [r.id for r in rows] == [ids[0], ids[1]] and (total, unread) == (2, 1)
        assert rows[1].subject == "Your results are ready: A-2"
        assert rows[0].subject == "办理结果已出：A-1"
        with pytest.raises(NotFound):
            outbox.mark_read(s, ids[0], LI)


def drive(rt, db) -> tuple[BundleScenario, int]:
    sc = BundleScenario(rt, db)
    sc.deploy_bundle("restaurant")
    cid = sc.start_case("restaurant", RESTAURANT, who="zhang_san")
    return sc, cid


def test_a_restaurant_case_tells_its_applicant_each_step(rt, seeded):
    sc, cid = drive(rt, seeded)
    number = sc.case(cid).number
    sc.complete(cid, "accept", {"outcome": "supplement",
                                "missing_materials": ["premises_proof", "health_certificates"],
                                "supplement_note": "租赁合同缺少签字页"}, actor=CLERK)
    [notice] = messages(seeded, template="supplement_requested")
    assert notice.recipient_user == "zhang_san" and notice.case_id == cid
    assert number in notice.subject
    assert "经营场所使用证明" in notice.body and "从业人员健康证明" in notice.body
    assert "租赁合同缺少签字页" in notice.body
    assert notice.payload["missing_materials"] == ["premises_proof", "health_certificates"]
    sc.complete(cid, "supplement", {"supplied": True}, actor=Actor("zhang_san",
                                                                   frozenset({"applicant"})))
    assert messages(seeded, template="case_accepted") == []
    sc.accept(cid)
    [accepted] = messages(seeded, template="case_accepted")
    assert accepted.recipient_user == "zhang_san" and number in accepted.body
    assert "2026-03-02" in accepted.body
    sc.decide(cid, "MS-001", {"decision": "refuse", "refuse_reason": "名称与已登记企业重复"})
    [refused] = messages(seeded, template="item_decided")
    assert "不予许可" in refused.body and "名称与已登记企业重复" in refused.body
    assert refused.payload["item_code"] == "MS-001"
    assert refused.payload["decision"] == "refused"
    assert messages(seeded, template="ready_for_pickup") == []
    sc.approve_all(cid)
    decided = messages(seeded, template="item_decided")
    assert sorted(m.payload["decision"] for m in decided) == ["approved", "approved", "refused"]
    assert [m.recipient_user for m in messages(seeded, template="ready_for_pickup")] == [
        "zhang_san"]


def test_an_agent_started_case_tells_the_principal_and_sms_goes_to_the_contact(rt, seeded,
                                                                                sms):
    sc = BundleScenario(rt, seeded)
    sc.deploy_bundle("restaurant")
    agent = Actor("agent_park", frozenset({"agent"}), on_behalf_of="zhang_san")
    cid = sc.start("restaurant", {"applicant": "张三餐馆", "answers": RESTAURANT,
                                  "contact_phone": "13800000003"}, actor=agent)
    assert sc.case(cid).started_by == "agent_park for zhang_san"
    sc.accept(cid)
    worker(rt, seeded)
    [in_app] = messages(seeded, template="case_accepted", channel="in_app")
    assert in_app.recipient_user == "zhang_san"
    assert [(channel, to) for channel, to, _s, _b in sms.sent] == [("sms", "13800000003")]


def test_the_promised_date_comes_from_the_hook(rt, seeded):
    from engine.service.notifications import case_messages

    case_messages.set_promise_source(lambda _s, case: clock.now().date() + timedelta(days=9))
    try:
        sc, cid = drive(rt, seeded)
        sc.accept(cid)
    finally:
        case_messages.set_promise_source(case_messages.clock_promise)
    [accepted] = messages(seeded, template="case_accepted")
    assert "承诺于2026-03-11前办结" in accepted.body
    assert accepted.payload["promised_date"] == "2026-03-11"
