"""Deploying task texts: a broken template stops the deploy naming its element; a name no
part of the bundle provides is a warning; the case's work item reads the values."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.casework import cases
from engine.core.actors import SYSTEM
from engine.core.db import unit_of_work
from engine.core.errors import DiagramInvalid
from engine.design import deployments
from engine.models import WorkItem

FORM = b"""{"type": "object", "properties": {"reason": {"type": "string"}}}"""


def _bpmn(documentation: str, name: str = "Check") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d"
    targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="texts" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="set" scriptFormat="python"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing><bpmn:script>reason = "材料&lt;不全&gt;"</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:userTask id="check" name="{name}">
      <bpmn:documentation>{documentation}</bpmn:documentation>
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formJsonSchemaFilename" value="form.json"/>
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="e"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="set"/>
    <bpmn:sequenceFlow id="f2" sourceRef="set" targetRef="check"/>
    <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>""".encode()


def _deploy(db: sessionmaker[Session], documentation: str,
            name: str = "Check") -> deployments.DeployResult:
    with unit_of_work(db) as session:
        return deployments.deploy(session, {"texts.bpmn": _bpmn(documentation, name),
                                            "form.json": FORM}, actor=SYSTEM)


def test_a_template_that_does_not_parse_stops_the_deploy_naming_the_element(
        db: sessionmaker[Session]) -> None:
    with pytest.raises(DiagramInvalid) as refused:
        _deploy(db, "理由：{{ reason ")
    [problem] = refused.value.problems
    assert problem.element == "check" and problem.file == "texts.bpmn"
    assert "does not parse" in problem.message and problem.line


def test_an_unbounded_construct_stops_the_deploy(db: sessionmaker[Session]) -> None:
    with pytest.raises(DiagramInvalid) as refused:
        _deploy(db, "{{ reason.upper() }}", name="{{ 'x' * 99 }}")
    assert {p.message.split(":")[0] for p in refused.value.problems} == {
        "the task documentation", "the task name"}


def test_a_name_nothing_provides_is_a_warning(db: sessionmaker[Session]) -> None:
    result = _deploy(db, "理由：{{ reason }}；{{ resaon }}")
    assert result.created
    [warning] = [w for w in result.warnings if w.element == "check"]
    assert "resaon" in warning.message and "reason," not in warning.message
    assert "（未填写）" in warning.message


def test_known_names_give_no_warning(db: sessionmaker[Session]) -> None:
    result = _deploy(db, "理由：{{ reason }}，申请人 {{ applicant_user }}")
    assert not [w for w in result.warnings if "task documentation" in w.message]


def test_the_work_item_reads_the_case_values(db: sessionmaker[Session], rt: Any) -> None:
    _deploy(db, "退回理由：{{ reason }}；{{ missing }}", name="复核：{{ reason }}")
    with unit_of_work(db) as session:
        cases.start_case(rt, session, "texts", {}, actor=SYSTEM)
    with unit_of_work(db, read_only=True) as session:
        item = session.scalars(select(WorkItem)).one()
        assert item.documentation == "退回理由：材料<不全>；（未填写）"
        assert item.title == "复核：材料<不全>"
