"""Deploying a bundle names the candidate groups nobody in any office belongs to (a
warning, not a refusal); groups with an active member, the applicant's lane and groups
computed from case data are not named."""

from __future__ import annotations

from engine.core.actors import SYSTEM
from engine.core.db import unit_of_work
from engine.design import deployments
from engine.org import users

FORM = b"""{"type": "object", "properties": {"ok": {"type": "boolean"}}}"""


def _task(task_id: str, incoming: str, outgoing: str, groups: str | None = None) -> str:
    props = (f'<spiffworkflow:property name="candidateGroups" value="{groups}"/>'
             if groups else "")
    return f"""<bpmn:userTask id="{task_id}" name="{task_id} 审查">
      <bpmn:extensionElements><spiffworkflow:properties>{props}
        <spiffworkflow:property name="formJsonSchemaFilename" value="form.json"/>
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>{incoming}</bpmn:incoming><bpmn:outgoing>{outgoing}</bpmn:outgoing>
    </bpmn:userTask>"""


def _bundle() -> dict[str, bytes]:
    """Five tasks in a row: accept (clerks' lane), inspect (a group of one branch), review
    (a role at an office from case data), route (a group from case data), supply (the
    applicant's lane)."""
    tasks = "".join([
        _task("accept", "f1", "f2"),
        _task("inspect", "f2", "f3", "inspector@branch_yangan"),
        _task("review", "f3", "f4", "reviewer@${office}"),
        _task("route", "f4", "f5", "${review_group}"),
        _task("supply", "f5", "f6")])
    flows = "".join(f'<bpmn:sequenceFlow id="f{n}" sourceRef="{a}" targetRef="{b}"/>'
                    for n, (a, b) in enumerate(zip(
                        ["s", "accept", "inspect", "review", "route", "supply"],
                        ["accept", "inspect", "review", "route", "supply", "e"],
                        strict=True), start=1))
    diagram = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d"
    targetNamespace="t">
  <bpmn:collaboration id="c"><bpmn:participant id="p" processRef="staffed"/></bpmn:collaboration>
  <bpmn:process id="staffed" isExecutable="true">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="lane_clerk" name="window_clerk">
        <bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>accept</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>inspect</bpmn:flowNodeRef><bpmn:flowNodeRef>review</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>route</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="lane_applicant" name="applicant">
        <bpmn:flowNodeRef>supply</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    {tasks}
    <bpmn:endEvent id="e"><bpmn:incoming>f6</bpmn:incoming></bpmn:endEvent>
    {flows}
  </bpmn:process>
</bpmn:definitions>"""
    return {"staffed.bpmn": diagram.encode(), "form.json": FORM}


def _staffing(result):
    return {w.element: w for w in result.warnings if "has nobody" in w.message}


def test_deploy_names_the_groups_with_nobody(db):
    with unit_of_work(db) as session:
        result = deployments.deploy(session, _bundle(), actor=SYSTEM)
        found = _staffing(result)
        # nobody at all yet: the clerks' lane, the inspectors and the reviewers' role
        assert set(found) == {"accept", "inspect", "review"}
        assert "inspector@branch_yangan" in found["inspect"].message
        assert "候选组“inspector@branch_yangan”在任何机构都没有在岗人员" in \
            found["inspect"].message
        assert found["inspect"].file == "staffed.bpmn" and result.created


def test_groups_with_an_active_member_are_not_named(db):
    with unit_of_work(db) as session:
        users.add_user(session, "clerk", None, groups=["window_clerk"])
        users.add_user(session, "rev", None, groups=["reviewer", "reviewer@branch_tieying"])
        gone = users.add_user(session, "insp", None, groups=["inspector@branch_yangan"])
        gone.active = False
        session.flush()
        found = _staffing(deployments.deploy(session, _bundle(), actor=SYSTEM))
        assert set(found) == {"inspect"}
        gone.active = True
        session.flush()
        again = deployments.deploy(session, _bundle(), actor=SYSTEM)
        assert not again.created and _staffing(again) == {}
