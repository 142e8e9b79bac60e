"""Cases end to end through the engine API, on a real database."""

from __future__ import annotations

from uuid import UUID

import pytest

from engine.casework import cases, completion, work_items
from engine.casework.advancing import advance
from engine.core.db import unit_of_work
from engine.core.errors import Forbidden, InvalidInput, NotFound, TaskNotReady
from engine.runtime import work_keys
from engine.runtime.diagrams import compile_bundle
from tests.runtime.scenario import ADMIN, CLERK, REVIEWER, Actor, Scenario


@pytest.fixture
def sc(rt, db):
    s = Scenario(rt, db)
    s.deploy("approval.bpmn", "accept-schema.json", bundle="approval")
    return s


def test_case_runs_to_the_end_with_work_items_in_lanes(sc):
    cid = sc.start("approval", {"applicant": "Tieying Noodles"})
    item = sc.item(cid, "accept")
    assert item.title == "Accept application"
    assert item.lane == "window_clerk"
    assert item.candidate_names("group") == ["window_clerk"]
    assert item.form_schema == "accept-schema.json"
    assert item.due_at is not None and item.due_at > item.created_at
    sc.complete(cid, "accept", {"accepted": True, "area": 120}, actor=CLERK)
    review = sc.item(cid, "review")
    assert review.candidate_names("group") == ["reviewer"]
    # the review has no form and nothing reads 'ok': it is refused, and nothing changes
    with pytest.raises(InvalidInput, match="ok"):
        sc.complete(cid, "review", {"ok": True}, actor=REVIEWER)
    case = sc.complete(cid, "review", {}, actor=REVIEWER)
    assert case.status == "completed"
    actions = [e["action"] for e in sc.trail(cid)]
    assert actions[0] == "case.started" and "case.completed" in actions
    assert actions.count("task.completed") == 2
    done = [w for w in sc.work_items(cid) if w["state"] == "completed"]
    assert {w["completed_by"] for w in done} == {"clerk", "rev"}


def test_script_results_are_kept(sc):
    cid = sc.start("approval", {"applicant": "A"})
    sc.complete(cid, "accept", {"accepted": True, "area": 150})
    with unit_of_work(sc.factory) as s:
        item = work_items.get(s, sc.item(cid, "review").id)
        assert item.input_data["fee"] == 300
        assert item.input_data["summary"] == "A: 300"


def test_default_flow_ends_case(sc):
    cid = sc.start("approval", {"applicant": "A"})
    case = sc.complete(cid, "accept", {"accepted": False, "area": 10})
    assert case.status == "completed"
    assert sc.open_items(cid) == []


def test_invalid_form_data_names_the_fields_and_changes_nothing(sc):
    cid = sc.start("approval", {"applicant": "A"})
    with pytest.raises(InvalidInput) as err:
        sc.complete(cid, "accept", {"accepted": "yes"})
    paths = {f.path for f in err.value.fields}
    assert paths == {"accepted", "area"}
    assert sc.item(cid, "accept").state == "open"
    assert sc.case(cid).version == 1


def test_completing_twice_is_a_conflict(sc):
    cid = sc.start("approval", {"applicant": "A"})
    item = sc.item(cid, "accept")
    sc.complete(cid, "accept", {"accepted": True, "area": 5})
    with unit_of_work(sc.factory) as s, pytest.raises(TaskNotReady):
        completion.complete(sc.rt, s, item.id, {"accepted": True, "area": 5}, ADMIN)


def test_only_candidates_may_complete(sc):
    cid = sc.start("approval", {"applicant": "A"})
    with pytest.raises(Forbidden):
        sc.complete(cid, "accept", {"accepted": True, "area": 5}, actor=REVIEWER)


def test_claim_and_inbox(sc):
    cid = sc.start("approval", {"applicant": "A"})
    item = sc.item(cid, "accept")
    with unit_of_work(sc.factory) as s:
        mine, total = work_items.inbox(s, CLERK, tab="group")
        assert total == 1 and mine[0].id == item.id
        assert work_items.inbox(s, REVIEWER)[1] == 0
        work_items.claim(s, item.id, CLERK)
    with unit_of_work(sc.factory) as s:
        assert work_items.inbox(s, CLERK, tab="mine")[1] == 1
        assert work_items.inbox(s, CLERK, tab="group")[1] == 0


def test_unknown_process_and_case(sc):
    with unit_of_work(sc.factory) as s, pytest.raises(NotFound):
        cases.start_case(sc.rt, s, "nope", {}, actor=ADMIN)
    with unit_of_work(sc.factory) as s, pytest.raises(NotFound):
        cases.get_case(s, 999)


def test_case_numbers_are_unique_and_readable(sc):
    ids = [sc.start("approval", {"applicant": str(i)}) for i in range(3)]
    numbers = [sc.case(i).number for i in ids]
    assert len(set(numbers)) == 3
    assert all(n.startswith("LL-") for n in numbers)


def test_cancel(sc):
    cid = sc.start("approval", {"applicant": "A"})
    with unit_of_work(sc.factory) as s:
        case = cases.cancel_case(sc.rt, s, cid, ADMIN, reason="withdrawn")
        assert case.status == "cancelled"
    assert sc.open_items(cid) == []


def test_spiff_candidate_properties_and_the_applicant_lane(rt, db):
    sc = Scenario(rt, db)
    sc.deploy_files({"own.bpmn": OWN_STEPS}, bundle="own")
    ent_42 = Actor("ent_42", frozenset({"applicant"}))
    # a candidate expression reads 'dept': no caller may give it without a form for it
    plain = sc.deploy_files({"own.bpmn": OWN_STEPS.replace(DEPT_FORM, b"")}, bundle="plain")
    assert plain
    with pytest.raises(InvalidInput, match="dept"):
        sc.start("plain", {"dept": "dept_fire"}, actor=ent_42)
    warned = [str(w) for w in compile_bundle({"own.bpmn": OWN_STEPS}).warnings]
    assert any("'dept' decides who works a later task" in w for w in warned), warned
    cid = sc.start("own", {"dept": "dept_fire"}, actor=ent_42)
    supplement = sc.item(cid, "supplement")
    # the case's applicant alone: never the group of every applicant account
    assert supplement.candidate_names("user") == ["ent_42"]
    assert supplement.candidate_names("group") == []
    sc.complete(cid, "supplement", actor=Actor("ent_42", frozenset({"applicant"})))
    review = sc.item(cid, "review")
    assert review.candidate_names("group") == ["reviewer@dept_fire"]
    assert review.candidate_names("user") == ["chief"]


OWN_STEPS = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    id="Defs_own" targetNamespace="http://onething.example/test">
  <bpmn:collaboration id="C"><bpmn:participant id="P" processRef="own"/></bpmn:collaboration>
  <bpmn:process id="own" isExecutable="true">
    <bpmn:laneSet id="LS">
      <bpmn:lane id="L1" name="applicant">
        <bpmn:flowNodeRef>supplement</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="L2" name="reviewer"><bpmn:flowNodeRef>review</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="s">DEPT_FORM<bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="supplement" name="Supplement materials">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="review" name="Review">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="candidateGroups" value="reviewer@${dept}"/>
        <spiffworkflow:property name="candidateUsers" value="chief"/>
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="e"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="supplement"/>
    <bpmn:sequenceFlow id="f2" sourceRef="supplement" targetRef="review"/>
    <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>
"""
# the start form that lets the starter choose the reviewing department (warned at deploy)
DEPT_FORM = (b'<bpmn:extensionElements><camunda:formData><camunda:formField id="dept" '
             b'type="string"/></camunda:formData></bpmn:extensionElements>')
OWN_STEPS = OWN_STEPS.replace(b"DEPT_FORM", DEPT_FORM)


def test_a_task_reset_to_ready_opens_its_old_work_item_with_fresh_claim_keys(sc):
    cid = sc.start("approval", {"applicant": "A"})
    accept = sc.item(cid, "accept")
    with unit_of_work(sc.factory) as s:
        work_items.claim(s, accept.id, CLERK)
    sc.complete(cid, "accept", {"accepted": True, "area": 120}, actor=CLERK)

    def back(live, _case):
        live.workflow.reset_from_task_id(UUID(accept.id))

    with unit_of_work(sc.factory) as s:
        advance(sc.rt, s, cid, ADMIN, "case.retried", back)
    again = sc.item(cid, "accept")
    assert again.id == accept.id and again.state == "open" and again.assignee == "clerk"
    # the review it led to is gone; the clerk who held the task holds it again
    assert [w.element_id for w in sc.open_items(cid)] == ["accept"]
    other = Actor("clerk_two", frozenset({"window_clerk"}))
    with unit_of_work(sc.factory) as s:
        assert work_keys.drifted(s) == []
        assert work_items.inbox(s, CLERK, tab="mine")[1] == 1
        assert work_items.inbox(s, other, tab="group")[1] == 0
        work_items.unclaim(s, accept.id, CLERK)
    with unit_of_work(sc.factory) as s:
        claimable, total = work_items.inbox(s, other, tab="group")
        assert total == 1 and [w.id for w in claimable] == [accept.id]
