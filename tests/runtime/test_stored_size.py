"""A diagram that builds megabytes of data per loop round cannot fill the database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.core.db import unit_of_work
from engine.core.errors import ScriptLimitExceeded
from engine.models import CaseTask
from tests.runtime.scenario import Scenario

GROWING = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="D" targetNamespace="t">
  <bpmn:process id="grow" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="m"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:userTask id="round"><bpmn:extensionElements><camunda:formData>
        <camunda:formField id="size" type="long"/></camunda:formData></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:scriptTask id="build" scriptFormat="python"><bpmn:incoming>f3</bpmn:incoming>
      <bpmn:outgoing>f4</bpmn:outgoing>
      <bpmn:script>a = "x" * size
b = "y" * size
c = "z" * size</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="m"/>
    <bpmn:sequenceFlow id="f2" sourceRef="m" targetRef="round"/>
    <bpmn:sequenceFlow id="f3" sourceRef="round" targetRef="build"/>
    <bpmn:sequenceFlow id="f4" sourceRef="build" targetRef="m"/>
  </bpmn:process>
</bpmn:definitions>"""


def stored_chars(sc: Scenario) -> int:
    with unit_of_work(sc.factory) as s:
        return int(s.scalar(select(func.coalesce(func.sum(func.length(CaseTask.payload)), 0))))


def test_a_step_that_would_store_megabytes_is_refused_and_stores_nothing(rt, db):
    sc = Scenario(rt, db)
    sc.deploy_files({"grow.bpmn": GROWING}, bundle="grow")
    cid = sc.start("grow")
    sc.complete(cid, "round", {"size": 1000})
    before, version = stored_chars(sc), sc.case(cid).version
    with pytest.raises(ScriptLimitExceeded, match="too large"):
        # each string is within the sandbox's limits; together they are too much to keep
        sc.complete(cid, "round", {"size": 900_000})
    assert stored_chars(sc) == before and sc.case(cid).version == version
    # the case goes on with sensible data
    assert sc.complete(cid, "round", {"size": 10}).status == "running"
