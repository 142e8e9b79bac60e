"""Which variables decide who works a task, which ones people may give, and the form fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.casework import contracts
from engine.core.errors import InvalidInput
from engine.design.deployments import read_paths
from engine.runtime.diagrams import compile_bundle
from engine.runtime.diagrams.form_fields import declared_names, undeclared

BUNDLES = Path(__file__).resolve().parents[3] / "bpmn" / "bundles"
SPIFF = 'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"'


def diagram(body: str) -> dict[str, bytes]:
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" {SPIFF}
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="D" targetNamespace="t">
  <bpmn:message id="m" name="m"/>
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    {body}
    <bpmn:endEvent id="e"><bpmn:incoming>f9</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""
    return {"p.bpmn": xml.encode()}


FLOW = """
    <bpmn:scriptTask id="plan" scriptFormat="python"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>team = table[choice]["team"]
count = count + 1 if count else 1
note = "seen " + str(count)</bpmn:script></bpmn:scriptTask>
    <bpmn:userTask id="work" camunda:candidateGroups="${team}">
      <bpmn:extensionElements><camunda:formData>
        <camunda:formField id="table" type="string"/>
        <camunda:formField id="ok" type="boolean"/>
      </camunda:formData></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f3</bpmn:incoming>
      <bpmn:outgoing>f9</bpmn:outgoing>
      <bpmn:messageEventDefinition messageRef="m"><bpmn:extensionElements>
        <spiffworkflow:messageVariable>team</spiffworkflow:messageVariable>
      </bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="plan"/>
    <bpmn:sequenceFlow id="f2" sourceRef="plan" targetRef="work"/>
    <bpmn:sequenceFlow id="f3" sourceRef="work" targetRef="wait"/>
    <bpmn:sequenceFlow id="f9" sourceRef="wait" targetRef="e"/>
"""


def test_what_feeds_a_candidate_is_protected_and_a_key_only_selects() -> None:
    bundle = compile_bundle(diagram(FLOW))
    flow = bundle.dataflow
    assert {"team", "table", "routing", "applicant_user"} <= flow.protected
    assert "choice" not in flow.protected  # a key picks a row of the table; it flows nowhere
    # read before anything sets it: what a start without a form may be given
    assert {"choice", "count"} <= flow.free
    assert not {"note", "team", "table", "ok"} & flow.free
    warned = " ".join(str(w) for w in bundle.warnings)
    assert "form field 'table' decides who works a later task" in warned
    assert "message variable 'team' decides who works a later task" in warned


def test_the_shipped_review_plan_is_protected_and_nothing_it_feeds_is_a_form_field() -> None:
    for key in ("restaurant", "start-business", "employment"):
        bundle = compile_bundle(read_paths([BUNDLES / key]))
        assert {"review_plan", "routing", "review_group", "recheck_group", "item"} <= \
            bundle.dataflow.protected, key
        assert not [w for w in bundle.warnings if "decides who works" in w.message], key


def test_undeclared_paths_close_nested_objects_but_not_maps() -> None:
    schema = {"type": "object", "additionalProperties": True, "properties": {
        "person": {"type": "object", "properties": {"name": {"type": "string"}}},
        "scores": {"type": "object", "additionalProperties": {"type": "integer"}},
        "rows": {"type": "array", "items": {"$ref": "#/$defs/row"}}},
        "allOf": [{"if": {"properties": {"kind": {"const": "a"}}},
                   "then": {"properties": {"extra": {"type": "string"}}}}],
        "$defs": {"row": {"type": "object", "properties": {"n": {"type": "integer"}}}}}
    assert declared_names(schema) == {"person", "scores", "rows", "kind", "extra"}
    data = {"person": {"name": "x", "group": "applicant"}, "scores": {"MS-001": 1},
            "rows": [{"n": 1}, {"n": 2, "owner": "me"}], "extra": "ok", "sneaky": 1}
    assert undeclared(schema, data) == ["person/group", "rows/1/owner", "sneaky"]


def test_a_contract_names_each_refused_field() -> None:
    contract = contracts.for_form({"type": "object", "properties": {"ok": {}}},
                                  compile_bundle(diagram(FLOW)).dataflow)
    contracts.check(contract, {"ok": True})
    with pytest.raises(InvalidInput) as err:
        contracts.check(contract, {"ok": True, "routing": {}, "x": 1})
    assert [f.path for f in err.value.fields] == ["routing", "x"]
    assert "set by the engine" in err.value.fields[0].message
