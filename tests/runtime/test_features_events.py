"""BPMN events through the engine API: messages between cases, signals, errors,
escalations, timers through the worker, and cancelling a case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.core import clock
from engine.core.errors import Conflict, NotFound
from tests.runtime.features_support import MODES, FeatureScenario, make_scenario

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=MODES)
def sc(request, rt, db, services) -> FeatureScenario:
    return make_scenario(request.param, rt, db, services)


def _timers(sc: FeatureScenario, cid: int) -> list[datetime]:
    return sorted(datetime.fromisoformat(w["due_at"]) for w in sc.show(cid)["waiting_on"]
                  if w["kind"] == "timer")


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


# --- messages ---------------------------------------------------------------------------

def test_message_with_correlation_reaches_only_the_matching_case(sc):
    sc.deploy_features("order_waiter.bpmn")
    one = sc.start("order_waiter", {"order_id": "O-1"})
    two = sc.start("order_waiter", {"order_id": "O-2"})
    waits = sc.show(one)["waiting_on"]
    assert waits == [{"kind": "message", "name": "order_paid",
                      "correlation": {"order_id": "O-1"}}]

    payload = {"order_id": "O-2", "amount": 80}
    assert sc.send_message("order_paid", correlation={"order_id": "O-2"},
                           payload=payload) == [two]
    assert sc.open_elements(two) == ["ship"]
    assert sc.data_of(two, "ship")["payment"] == payload
    assert sc.show(two)["waiting_on"] == []
    # the other case still waits, for its own order only
    assert sc.open_items(one) == []
    assert sc.show(one)["waiting_on"][0]["correlation"] == {"order_id": "O-1"}
    with pytest.raises(NotFound):
        sc.send_message("order_paid", correlation={"order_id": "O-3"}, payload={})
    assert "message.received" in sc.actions(two)
    assert sc.complete(two, "ship").status == "completed"


def test_message_thrown_by_one_case_is_caught_by_the_correlated_waiting_case(sc):
    sc.deploy_features("order_waiter.bpmn")
    sc.deploy_features("order_payer.bpmn")
    other = sc.start("order_waiter", {"order_id": "O-8"})
    waiter = sc.start("order_waiter", {"order_id": "O-9"})
    payer = sc.start("order_payer", {"order_id": "O-9", "amount": 12})
    assert sc.open_elements(payer) == ["take_payment"]

    assert sc.complete(payer, "take_payment").status == "completed"
    # delivery is a job, so a slow receiver never holds up the sender's transaction
    assert sc.open_elements(waiter) == []
    assert sc.run_timers() == 1
    assert sc.open_elements(waiter) == ["ship"]
    assert "message.received" in sc.actions(waiter)
    assert sc.data_of(waiter, "ship")["payment"] == {"order_id": "O-9", "amount": 12}
    assert sc.open_items(other) == []
    assert sc.show(other)["waiting_on"][0]["correlation"] == {"order_id": "O-8"}


# --- signals ----------------------------------------------------------------------------

def test_signal_reaches_every_waiting_case(sc):
    sc.deploy_features("signal_wait.bpmn")
    sc.deploy_features("signal_guard.bpmn")
    sc.deploy_features("timer_date.bpmn")
    waiting = sc.start("signal_wait")
    guarded = sc.start("signal_guard")
    bystander = sc.start("timer_date")
    assert sc.open_elements(waiting) == []
    assert sc.open_elements(guarded) == ["work"]
    for cid in (waiting, guarded):
        assert [(w["kind"], w["name"]) for w in sc.show(cid)["waiting_on"]] == \
            [("signal", "recall")]
    work_id = sc.item(guarded, "work").id

    assert sc.send_signal("recall") == sorted([waiting, guarded])
    # intermediate catch: the flow goes on
    assert sc.open_elements(waiting) == ["after_recall"]
    # interrupting boundary: the task is cancelled and the boundary path taken
    assert sc.open_elements(guarded) == ["wind_down"]
    assert {w.id: w.state for w in sc.items_of(guarded)}[work_id] == "cancelled"
    for cid in (waiting, guarded):
        assert sc.show(cid)["waiting_on"] == []
        assert "signal.received" in sc.actions(cid)
    assert "signal.received" not in sc.actions(bystander)
    assert sc.send_signal("recall") == []

    assert sc.complete(waiting, "after_recall").status == "completed"
    assert sc.complete(guarded, "wind_down").status == "completed"


# --- errors and escalations -------------------------------------------------------------

def test_error_end_event_in_subprocess_is_caught_by_boundary(sc):
    sc.deploy_features("error_boundary.bpmn")
    cid = sc.start("error_boundary")
    assert sc.open_elements(cid) == ["estimate"]
    estimate_id = sc.item(cid, "estimate").id

    case = sc.complete(cid, "estimate", {"amount": 5000})
    assert case.status == "running"
    assert sc.open_elements(cid) == ["renegotiate"]
    # the error's payload (spiffworkflow:payloadExpression/variableName) is what leaves the
    # interrupted subprocess; its own data does not
    data = sc.data_of(cid, "renegotiate")
    assert data["budget_error"] == {"asked": 5000, "limit": 1000}
    assert "amount" not in data
    assert {w.id: w.state for w in sc.items_of(cid)}[estimate_id] == "completed"
    assert sc.complete(cid, "renegotiate").status == "completed"


def test_subprocess_without_error_takes_the_normal_path(sc):
    sc.deploy_features("error_boundary.bpmn")
    cid = sc.start("error_boundary")
    sc.complete(cid, "estimate", {"amount": 300})
    assert sc.open_elements(cid) == ["order"]
    assert "budget_error" not in sc.data_of(cid, "order")
    assert sc.complete(cid, "order").status == "completed"


def test_escalation_in_subprocess_triggers_non_interrupting_boundary(sc):
    sc.deploy_features("escalation.bpmn")
    cid = sc.start("escalation")
    assert sc.open_elements(cid) == ["draft"]

    sc.complete(cid, "draft", {"text": "v1"})
    # the subprocess goes on (polish) while the boundary path (review) starts
    assert sc.open_elements(cid) == ["polish", "review"]
    assert sc.data_of(cid, "polish")["text"] == "v1"

    assert sc.complete(cid, "review", {"remarks": "fine"}).status == "running"
    assert sc.open_elements(cid) == ["polish"]
    sc.complete(cid, "polish", {"final": True})
    assert sc.open_elements(cid) == ["publish"]
    # the subprocess's data flows on; the boundary branch's does not merge into it
    assert sc.data_of(cid, "publish") == {"text": "v1", "final": True}
    assert sc.complete(cid, "publish").status == "completed"


# --- timers -----------------------------------------------------------------------------

def test_time_date_timer_fires_on_its_date_through_the_worker(sc):
    clock.freeze(T0)
    sc.deploy_features("timer_date.bpmn")
    cid = sc.start("timer_date")
    due = T0 + timedelta(days=1)
    assert _timers(sc, cid) == [due]
    assert sc.case(cid).next_timer_at is not None
    assert sc.open_items(cid) == []

    assert sc.run_timers() == 0
    clock.advance(timedelta(hours=23, minutes=59))
    assert sc.run_timers() == 0
    assert sc.open_items(cid) == []

    clock.advance(timedelta(minutes=1, seconds=1))
    assert sc.run_timers() == 1
    assert sc.open_elements(cid) == ["open_doors"]
    assert _timers(sc, cid) == []
    assert sc.actions(cid).count("timer.fired") == 1
    assert sc.complete(cid, "open_doors").status == "completed"


def test_cycle_timer_on_non_interrupting_boundary_fires_twice(sc):
    clock.freeze(T0)
    sc.deploy_features("timer_cycle.bpmn")
    cid = sc.start("timer_cycle")
    assert sc.open_elements(cid) == ["review"]
    assert _timers(sc, cid) == [T0 + timedelta(hours=1)]
    assert sc.run_timers() == 0

    clock.advance(timedelta(hours=1, seconds=1))
    assert sc.run_timers() >= 1
    # non-interrupting: the reminder path starts and the review stays open
    assert sc.open_elements(cid) == ["remind", "review"]

    clock.advance(timedelta(hours=1))
    assert sc.run_timers() >= 1
    assert sc.open_elements(cid) == ["remind", "remind", "review"]
    # R2: no third repetition
    clock.advance(timedelta(hours=5))
    sc.run_timers()
    assert sc.open_elements(cid) == ["remind", "remind", "review"]
    assert _timers(sc, cid) == []
    assert sc.actions(cid).count("timer.fired") == 2


def test_reminders_from_a_cycle_boundary_outlive_the_activity(sc):
    clock.freeze(T0)
    sc.deploy_features("timer_cycle.bpmn")
    cid = sc.start("timer_cycle")
    for _ in range(3):
        clock.advance(timedelta(hours=1, seconds=1))
        sc.run_timers()
    assert sc.open_elements(cid) == ["remind", "remind", "review"]

    # non-interrupting: the reminder paths do not depend on the review
    assert sc.complete(cid, "review").status == "running"
    assert sc.open_elements(cid) == ["remind", "remind"]
    assert sc.complete(cid, "remind").status == "running"
    assert sc.complete(cid, "remind").status == "completed"


def test_cycle_timer_keeps_one_job_per_repetition_and_audits_each_firing(sc):
    clock.freeze(T0)
    sc.deploy_features("timer_cycle.bpmn")
    cid = sc.start("timer_cycle")

    clock.advance(timedelta(hours=1, seconds=1))
    assert sc.run_timers() == 1
    assert sc.actions(cid).count("timer.fired") == 1
    pending = [j for j in sc.jobs_of(cid) if j.status == "pending"]
    assert [_aware(j.due_at) for j in pending] == \
        [T0 + timedelta(hours=2)]
    version = sc.case(cid).version
    clock.advance(timedelta(seconds=5))
    assert sc.run_timers() == 0  # nothing is due until the next repetition
    assert sc.case(cid).version == version

    clock.advance(timedelta(hours=1))
    assert sc.run_timers() == 1
    assert sc.actions(cid).count("timer.fired") == 2
    assert [j for j in sc.jobs_of(cid) if j.status == "pending"] == []


# --- cancelling a case ------------------------------------------------------------------

def test_cancel_case_cancels_open_items_timers_and_subscriptions(sc):
    clock.freeze(T0)
    sc.deploy_features("cancellable.bpmn")
    cid = sc.start("cancellable")
    assert sc.open_elements(cid) == ["task_a", "task_b"]
    waits = sc.show(cid)["waiting_on"]
    assert sorted(w["kind"] for w in waits) == ["message", "timer"]
    assert [j.status for j in sc.jobs_of(cid)] == ["pending"]

    assert sc.cancel(cid, reason="withdrawn") == "cancelled"
    shown = sc.show(cid)
    assert shown["status"] == "cancelled"
    assert shown["completed_at"] is not None
    assert shown["waiting_on"] == []
    assert shown["next_timer_at"] is None
    assert sc.open_items(cid) == []
    assert sorted(w.state for w in sc.items_of(cid)) == ["cancelled", "cancelled"]
    assert [j for j in sc.jobs_of(cid) if j.status in ("pending", "running")] == []
    event = [e for e in sc.trail(cid) if e["action"] == "case.cancelled"]
    assert event and event[0]["detail"]["reason"] == "withdrawn"

    clock.advance(timedelta(hours=3))
    assert sc.run_timers() == 0
    with pytest.raises(NotFound):
        sc.send_message("documents_arrived")
    with pytest.raises(Conflict):
        sc.cancel(cid)
    assert sc.case(cid).status == "cancelled"
