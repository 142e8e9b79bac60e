"""Camunda 7 diagrams are normalised into what SpiffWorkflow runs, with their metadata kept."""

from __future__ import annotations

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.core.errors import DiagramInvalid
from engine.runtime.diagrams import compile_bundle
from tests.runtime.diagrams.conftest import bpmn, data_files, line_of


@pytest.fixture
def permit() -> dict[str, bytes]:
    return data_files("camunda_permit.bpmn", "fee.dmn")


def test_flavour_and_processes(permit: dict[str, bytes]) -> None:
    bundle = compile_bundle(permit)
    assert bundle.flavour == "camunda"
    assert bundle.process_ids == ["permit"]
    assert bundle.warnings == []


def test_external_task_metadata(permit: dict[str, bytes]) -> None:
    bundle = compile_bundle(permit)
    meta = bundle.elements["permit:register"]
    assert meta.kind == "external"
    assert meta.topic == "RegisterErrand"
    assert meta.name == "Register errand"
    assert meta.line == line_of(permit["camunda_permit.bpmn"], 'id="register"')
    spec, _ = bundle.specs["permit"]
    assert type(spec.task_specs["register"]).__name__ == "UserTask"


def test_assignment_and_properties(permit: dict[str, bytes]) -> None:
    meta = compile_bundle(permit).elements["permit:apply"]
    assert meta.kind == "userTask"
    assert meta.candidate_groups == ["window", "agents"]
    assert meta.candidate_users == ["ann", "bob"]
    assert meta.assignee == "${initiator}"
    assert meta.due == "${dueDate}"
    assert meta.documentation == "Fill in the application."
    assert meta.properties == {"sla": "5", "formKey": "embedded:app:apply.html"}


def test_form_data_becomes_json_schema(permit: dict[str, bytes]) -> None:
    schema = compile_bundle(permit).elements["permit:apply"].form_inline
    assert schema == {
        "type": "object",
        "title": "Apply",
        "required": ["applicant"],
        "properties": {
            "applicant": {"type": "string", "title": "Applicant", "maxLength": 40},
            "amount": {"type": "integer", "title": "Amount", "default": 10, "minimum": 1},
            "urgent": {"type": "boolean", "title": "Urgent?", "default": False},
            "visit": {"type": "string", "format": "date", "title": "Visit on"},
            "kind": {"type": "string", "title": "Kind", "enum": ["shop", "restaurant"],
                     "enumNames": ["Shop", "Restaurant"]},
        },
    }


def test_delegates_become_named_service_operators(permit: dict[str, bytes]) -> None:
    spec, _ = compile_bundle(permit).specs["permit"]
    assert spec.task_specs["notify"].operation_name == "java:com.example.NotifyDelegate"


def test_translated_condition_timer_and_scripts(permit: dict[str, bytes]) -> None:
    spec, _ = compile_bundle(permit).specs["permit"]
    [(condition, target)] = [c for c in spec.task_specs["route"].cond_task_specs if c[0]]
    assert condition.args[0] == "amount > 1000 and kind == 'restaurant'"
    assert spec.task_specs["cool_off"].event_definition.expression == "'PT5M'"
    assert spec.task_specs["register"].prescript == (
        "status = 'Registered'\nlimit = amount * 2\nphase = 'Intake'")


def test_normalised_diagram_runs(permit: dict[str, bytes]) -> None:
    spec, subs = compile_bundle(permit).specs["permit"]
    workflow = BpmnWorkflow(spec, subs)
    workflow.do_engine_steps()

    def ready() -> list[str]:
        return sorted(t.task_spec.name for t in workflow.get_tasks(state=TaskState.READY))

    def complete(name: str, **data: object) -> None:
        task = next(t for t in workflow.get_tasks(state=TaskState.READY)
                    if t.task_spec.name == name)
        task.data.update(data)
        task.run()
        workflow.do_engine_steps()

    assert ready() == ["apply"]
    complete("apply", amount=5, kind="shop", area=100, departments=["fire", "health"])
    complete("register")
    children = [t for t in workflow.get_tasks(state=TaskState.READY)]
    assert sorted(t.data["dept"] for t in children) == ["fire", "health"]
    assert children[0].data["fee"] == 500
    assert children[0].data["phase"] == "Intake"


def _rejected(body: str) -> list[str]:
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle({"c.bpmn": bpmn(body)})
    return [str(p) for p in caught.value.problems]


FLOW = '''<bpmn:startEvent id="s"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
<bpmn:exclusiveGateway id="gw" default="f_b">
  <bpmn:incoming>f0</bpmn:incoming><bpmn:outgoing>f_a</bpmn:outgoing><bpmn:outgoing>f_b</bpmn:outgoing>
</bpmn:exclusiveGateway>
<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="gw" />
<bpmn:sequenceFlow id="f_a" sourceRef="gw" targetRef="a" camunda:asyncBefore="true">
  <bpmn:conditionExpression LANG>CONDITION</bpmn:conditionExpression>
</bpmn:sequenceFlow>
<bpmn:sequenceFlow id="f_b" sourceRef="gw" targetRef="b" />
<bpmn:endEvent id="a"><bpmn:incoming>f_a</bpmn:incoming></bpmn:endEvent>
<bpmn:endEvent id="b"><bpmn:incoming>f_b</bpmn:incoming></bpmn:endEvent>'''


@pytest.mark.parametrize("expression", [
    "${execution.getVariable('x')}", "${someBean.check()}"])
def test_untranslatable_el_names_element_and_expression(expression: str) -> None:
    [problem] = _rejected(FLOW.replace("LANG", "").replace("CONDITION", expression))
    assert "f_a" in problem and expression in problem and "c.bpmn:" in problem


def test_condition_in_another_language_is_rejected() -> None:
    body = FLOW.replace("LANG", 'language="javascript"').replace("CONDITION", "x > 1")
    problem = _rejected(body)[0]
    assert "f_a" in problem and "'javascript'" in problem


def test_juel_language_attribute_is_accepted() -> None:
    body = FLOW.replace("LANG", 'language="juel"').replace("CONDITION", "${x &gt; 1}")
    assert compile_bundle({"c.bpmn": bpmn(body)}).flavour == "camunda"


def test_external_task_without_topic_is_rejected() -> None:
    body = '''<bpmn:startEvent id="s"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
<bpmn:serviceTask id="ext" camunda:type="external"><bpmn:incoming>f0</bpmn:incoming>
<bpmn:outgoing>f1</bpmn:outgoing></bpmn:serviceTask>
<bpmn:endEvent id="e"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="ext" />
<bpmn:sequenceFlow id="f1" sourceRef="ext" targetRef="e" />'''
    [problem] = _rejected(body)
    assert "ext" in problem and "topic" in problem


def test_unknown_listener_is_a_warning() -> None:
    body = '''<bpmn:startEvent id="s"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
<bpmn:userTask id="u"><bpmn:extensionElements>
  <camunda:executionListener class="com.example.Audit" event="start" />
</bpmn:extensionElements><bpmn:incoming>f0</bpmn:incoming><bpmn:outgoing>f1</bpmn:outgoing></bpmn:userTask>
<bpmn:endEvent id="e"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="u" />
<bpmn:sequenceFlow id="f1" sourceRef="u" targetRef="e" />'''
    bundle = compile_bundle({"c.bpmn": bpmn(body)})
    assert [w.element for w in bundle.warnings] == ["u"]
