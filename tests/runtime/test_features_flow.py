"""BPMN flow features through the engine API: call activities, embedded subprocesses,
inclusive gateways, terminate end events and forms inside called processes."""

from __future__ import annotations

import pytest

from engine.core.errors import InvalidInput
from tests.runtime.features_support import MODES, FeatureScenario, make_scenario


@pytest.fixture(params=MODES)
def sc(request, rt, db, services) -> FeatureScenario:
    return make_scenario(request.param, rt, db, services)


def test_call_activity_runs_the_called_process_and_returns_its_data(sc):
    sc.deploy_features("call_main.bpmn", "call_inspection.bpmn", bundle="permit_call")
    cid = sc.start("permit_call", {"applicant": "A-7"})
    assert sc.case(cid).process_id == "permit_main"
    assert sc.open_elements(cid) == ["inspect"]
    inspect = sc.item(cid, "inspect")
    assert inspect.process_id == "permit_inspection"
    # data flows into the called process, including what the caller computed
    assert inspect.input_data["applicant"] == "A-7"
    assert inspect.input_data["site"] == "A-7-site"

    sc.complete(cid, "inspect", {"passed": True, "defects": 3})
    assert sc.open_elements(cid) == ["confirm"]
    confirm = sc.item(cid, "confirm")
    assert confirm.process_id == "permit_main"
    # ... and what the called process entered and computed flows back
    assert confirm.input_data["passed"] is True
    assert confirm.input_data["score"] == 30
    assert confirm.input_data["verdict"] == "A-7-site: pass"

    assert sc.complete(cid, "confirm").status == "completed"
    assert sc.open_items(cid) == []
    states = {w.element_id: w.state for w in sc.items_of(cid)}
    assert states == {"inspect": "completed", "confirm": "completed"}


def test_embedded_subprocess_user_task_and_data(sc):
    sc.deploy_features("embedded.bpmn")
    cid = sc.start("embedded", {"required": ["id", "plan", "lease"]})
    assert sc.open_elements(cid) == ["check_documents"]
    assert sc.data_of(cid, "check_documents")["required"] == ["id", "plan", "lease"]

    sc.complete(cid, "check_documents", {"received": ["id"]})
    assert sc.open_elements(cid) == ["sign_off"]
    data = sc.data_of(cid, "sign_off")
    assert data["received"] == ["id"]
    assert data["missing"] == 2
    assert sc.complete(cid, "sign_off").status == "completed"


@pytest.mark.parametrize(("topics", "expected"), [
    (["food", "noise"], ["food_check", "noise_check"]),
    (["noise"], ["noise_check"]),
    ([], ["basic_check"]),
], ids=["two-branches", "one-branch", "default"])
def test_inclusive_gateway_takes_every_true_branch_and_joins(sc, topics, expected):
    sc.deploy_features("inclusive.bpmn")
    cid = sc.start("inclusive", {"topics": topics})
    assert sc.open_elements(cid) == expected

    for n, element in enumerate(expected):
        sc.complete(cid, element, {f"{element}_done": True})
        remaining = expected[n + 1:]
        # the join waits for every branch that was taken, and only for those
        assert sc.open_elements(cid) == (remaining or ["issue"])

    data = sc.data_of(cid, "issue")
    assert all(data[f"{e}_done"] is True for e in expected)
    assert sc.complete(cid, "issue").status == "completed"


def test_terminate_end_event_cancels_the_other_branch(sc):
    sc.deploy_features("terminate.bpmn")
    cid = sc.start("terminate")
    assert sc.open_elements(cid) == ["fast_track", "slow_review"]
    slow_id = sc.item(cid, "slow_review").id

    case = sc.complete(cid, "fast_track", {"answer": "yes"})
    assert case.status == "completed"
    assert case.completed_at is not None
    assert sc.open_items(cid) == []
    states = {w.id: w.state for w in sc.items_of(cid)}
    assert states[slow_id] == "cancelled"
    assert sorted(states.values()) == ["cancelled", "completed"]
    shown = sc.show(cid)
    assert shown["status"] == "completed"
    assert shown["waiting_on"] == []
    assert "case.completed" in sc.actions(cid)


def test_form_schema_inside_call_activity_validates_data(sc):
    sc.deploy_features("call_form.bpmn", "licence-form.json", bundle="licence")
    cid = sc.start("licence", {"applicant": "B-2"})
    assert sc.open_elements(cid) == ["fill"]
    fill = sc.item(cid, "fill")
    assert fill.process_id == "licence_details"
    assert fill.form_schema == "licence-form.json"

    with pytest.raises(InvalidInput) as bad:
        sc.complete(cid, "fill", {"holder": "X", "seats": 0})
    fields = {f.path for f in bad.value.fields}
    assert fields == {"holder", "seats"}
    with pytest.raises(InvalidInput) as missing:
        sc.complete(cid, "fill", {"holder": "Bistro B"})
    assert {f.path for f in missing.value.fields} == {"seats"}
    # refused data changes nothing
    assert sc.open_elements(cid) == ["fill"]
    assert sc.case(cid).status == "running"

    sc.complete(cid, "fill", {"holder": "Bistro B", "seats": 40})
    assert sc.open_elements(cid) == ["approve"]
    data = sc.data_of(cid, "approve")
    assert (data["holder"], data["seats"], data["applicant"]) == ("Bistro B", 40, "B-2")
    assert sc.complete(cid, "approve").status == "completed"
