"""OnethingScriptEngine driving real SpiffWorkflow: scripts, gateways, DMN, service tasks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine.core.ports import UnknownOperator
from engine.runtime.sandbox import lint
from engine.runtime.script_engine import OnethingScriptEngine

CORPUS = Path("/work/shared/corpus/bpmn")

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="defs" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="proc" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
    {body}
    <bpmn:endEvent id="end"><bpmn:incoming>f_end</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


def script_task(task_id: str, incoming: str, outgoing: str, script: str) -> str:
    return (f'<bpmn:scriptTask id="{task_id}" name="{task_id}"><bpmn:incoming>{incoming}'
            f'</bpmn:incoming><bpmn:outgoing>{outgoing}</bpmn:outgoing>'
            f'<bpmn:script>{script}</bpmn:script></bpmn:scriptTask>')


def flow(flow_id: str, source: str, target: str, condition: str | None = None) -> str:
    cond = "" if condition is None else (
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}'
        "</bpmn:conditionExpression>")
    return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">{cond}' \
           "</bpmn:sequenceFlow>"


def linear(*tasks: str, flows: list[str]) -> str:
    return "\n".join([*tasks, *flows])


def load(tmp_path: Path, body: str, dmn: str | None = None,
         engine: OnethingScriptEngine | None = None, **data: Any) -> BpmnWorkflow:
    parser = SpiffBpmnParser()
    (tmp_path / "proc.bpmn").write_text(BPMN.format(body=body))
    parser.add_bpmn_file(str(tmp_path / "proc.bpmn"))
    if dmn is not None:
        (tmp_path / "table.dmn").write_text(dmn)
        parser.add_dmn_file(str(tmp_path / "table.dmn"))
    workflow = BpmnWorkflow(parser.get_spec("proc"), parser.get_subprocess_specs("proc"),
                            script_engine=engine or OnethingScriptEngine())
    workflow.get_next_task(spec_name="start").data.update(data)
    return workflow


GATEWAY = linear(
    script_task("prep", "f0", "f1",
                "total = sum(m['qty'] for m in materials)\nmaterials[0]['checked'] = True"),
    '<bpmn:exclusiveGateway id="gw" default="f_small"><bpmn:incoming>f1</bpmn:incoming>'
    "<bpmn:outgoing>f_big</bpmn:outgoing><bpmn:outgoing>f_small</bpmn:outgoing>"
    "</bpmn:exclusiveGateway>",
    script_task("big", "f_big", "f_b", "size = f'big:{total}'"),
    script_task("small", "f_small", "f_s", "size = 'small'"),
    '<bpmn:exclusiveGateway id="join"><bpmn:incoming>f_b</bpmn:incoming>'
    "<bpmn:incoming>f_s</bpmn:incoming><bpmn:outgoing>f_end</bpmn:outgoing>"
    "</bpmn:exclusiveGateway>",
    flows=[flow("f0", "start", "prep"), flow("f1", "prep", "gw"),
           flow("f_big", "gw", "big", "  total &gt; 10 "), flow("f_small", "gw", "small"),
           flow("f_b", "big", "join"), flow("f_s", "small", "join"), flow("f_end", "join", "end")],
)


@pytest.mark.parametrize(("quantities", "size"), [([4, 9], "big:13"), ([1, 2], "small")])
def test_gateway_and_scripts_run_end_to_end(tmp_path: Path, quantities: list[int],
                                            size: str) -> None:
    materials = [{"qty": q} for q in quantities]
    workflow = load(tmp_path, GATEWAY, materials=materials)
    workflow.do_engine_steps()
    assert workflow.is_completed()
    end = workflow.get_next_task(spec_name="end")
    assert end.data["size"] == size
    assert end.data["materials"][0]["checked"] is True
    # Copy-on-write: the script's nested change did not reach the start event's data.
    assert "checked" not in workflow.get_next_task(spec_name="start").data["materials"][0]
    assert "checked" not in materials[0]


def test_failing_script_raises_on_its_line_and_leaves_no_partial_data(tmp_path: Path) -> None:
    body = linear(script_task("calc", "f0", "f_end", "fee = 10\nnested['n'] = 2\nfee += missing"),
                  flows=[flow("f0", "start", "calc"), flow("f_end", "calc", "end")])
    workflow = load(tmp_path, body, nested={"n": 1})
    with pytest.raises(WorkflowTaskException) as info:
        workflow.do_engine_steps()
    error = info.value
    assert error.error_type == "NameError"
    assert error.line_number == 3
    assert error.error_line == "fee += missing"
    assert "name 'missing' is not defined" in str(error)
    assert error.task.state == TaskState.ERROR
    assert error.task.data == {"nested": {"n": 1}}


def test_bad_condition_reports_the_expression(tmp_path: Path) -> None:
    body = GATEWAY.replace("total &gt; 10", "totl &gt; 10")
    workflow = load(tmp_path, body, materials=[{"qty": 1}])
    with pytest.raises(WorkflowTaskException, match="Error evaluating expression 'totl > 10'"):
        workflow.do_engine_steps()


DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="fees" name="Fees"
  namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="fee_table" name="Fee table">
    <decisionTable id="table" hitPolicy="UNIQUE">
      <input id="in_size" label="Size">
        <inputExpression id="ie_size" typeRef="integer"><text>size</text></inputExpression>
      </input>
      <input id="in_kind" label="Kind">
        <inputExpression id="ie_kind" typeRef="string"><text>kind</text></inputExpression>
      </input>
      <output id="out_fee" label="Fee" name="fee" typeRef="integer" />
      <output id="out_note" label="Note" name="note" typeRef="string" />
      {rules}
    </decisionTable>
  </decision>
</definitions>
"""
RULES = [("&lt; 200", '"restaurant"', "100", '"small restaurant"'),
         ("&gt;= 200", '"restaurant"', "300", '"large restaurant"'),
         ("&lt; 200", "", "50", '"small"'),
         ("&gt;= 200", "-", "size // 2", "f'large {kind}'")]


def dmn_table() -> str:
    rules = "".join(
        f'<rule id="r{i}"><inputEntry id="r{i}a"><text>{size}</text></inputEntry>'
        f'<inputEntry id="r{i}b"><text>{kind}</text></inputEntry>'
        f'<outputEntry id="r{i}c"><text>{fee}</text></outputEntry>'
        f'<outputEntry id="r{i}d"><text>{note}</text></outputEntry></rule>'
        for i, (size, kind, fee, note) in enumerate(RULES))
    return DMN.format(rules=rules)


RULE_TASK = linear(
    '<bpmn:businessRuleTask id="decide" name="Decide"><bpmn:extensionElements>'
    "<spiffworkflow:calledDecisionId>fee_table</spiffworkflow:calledDecisionId>"
    "</bpmn:extensionElements><bpmn:incoming>f0</bpmn:incoming>"
    "<bpmn:outgoing>f_end</bpmn:outgoing></bpmn:businessRuleTask>",
    flows=[flow("f0", "start", "decide"), flow("f_end", "decide", "end")],
)


@pytest.mark.parametrize(("size", "kind", "fee", "note"), [
    (150, "restaurant", 100, "small restaurant"),
    (250, "restaurant", 300, "large restaurant"),
    (150, "shop", 50, "small"),
    (400, "shop", 200, "large shop"),
])
def test_dmn_decision_runs_in_the_sandbox(tmp_path: Path, size: int, kind: str, fee: int,
                                          note: str) -> None:
    workflow = load(tmp_path, RULE_TASK, dmn_table(), size=size, kind=kind)
    workflow.do_engine_steps()
    assert workflow.is_completed()
    data = workflow.get_next_task(spec_name="end").data
    assert (data["fee"], data["note"]) == (fee, note)


def test_validate_keeps_ast_parse_behaviour() -> None:
    engine = OnethingScriptEngine()
    engine.validate("size < 200")
    with pytest.raises(SyntaxError):
        engine.validate("< 200")


class FakeServices:
    """A ServicePort that answers one operator and fails or refuses others."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def call(self, operator: str, params: dict[str, Any]) -> Any:
        self.calls.append((operator, params))
        if operator == "registry/lookup":
            return {"name": f"Company {params['code']}", "employees": params["size"]}
        if operator == "registry/down":
            raise ConnectionError("registry unreachable")
        raise UnknownOperator(operator)


def service_task(operator: str) -> str:
    return linear(
        '<bpmn:serviceTask id="lookup" name="Lookup"><bpmn:extensionElements>'
        f'<spiffworkflow:serviceTaskOperator id="{operator}" resultVariable="company">'
        "<spiffworkflow:parameters>"
        '<spiffworkflow:parameter id="code" type="str" value="credit_code.upper()"/>'
        '<spiffworkflow:parameter id="size" type="int" value="3 * 4"/>'
        "</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator>"
        "</bpmn:extensionElements><bpmn:incoming>f0</bpmn:incoming>"
        "<bpmn:outgoing>f_end</bpmn:outgoing></bpmn:serviceTask>",
        flows=[flow("f0", "start", "lookup"), flow("f_end", "lookup", "end")])


def test_service_result_lands_in_task_data(tmp_path: Path) -> None:
    services = FakeServices()
    workflow = load(tmp_path, service_task("registry/lookup"),
                    engine=OnethingScriptEngine(services), credit_code="x1")
    workflow.do_engine_steps()
    assert workflow.is_completed()
    assert services.calls == [("registry/lookup", {"code": "X1", "size": 12})]
    assert workflow.get_next_task(spec_name="end").data["company"] == {
        "name": "Company X1", "employees": 12}


@pytest.mark.parametrize(("operator", "expected"), [
    ("registry/nothing", "no connector is configured for service operator 'registry/nothing'"),
    ("registry/down", "service operator 'registry/down' failed: ConnectionError: registry"),
])
def test_service_errors_name_the_operator(tmp_path: Path, operator: str, expected: str) -> None:
    workflow = load(tmp_path, service_task(operator), engine=OnethingScriptEngine(FakeServices()),
                    credit_code="x1")
    with pytest.raises(WorkflowTaskException) as info:
        workflow.do_engine_steps()
    assert expected in str(info.value)
    assert "script" not in str(info.value)
    assert info.value.task.task_spec.name == "lookup"
    assert info.value.task.state == TaskState.ERROR


def test_without_a_port_every_operator_is_unknown(tmp_path: Path) -> None:
    workflow = load(tmp_path, service_task("registry/lookup"), credit_code="x1")
    with pytest.raises(WorkflowTaskException, match="no connector is configured"):
        workflow.do_engine_steps()


def test_dangerous_corpus_script_is_refused(tmp_path: Path) -> None:
    source = CORPUS / "dangerous.bpmn"
    if not source.exists():
        pytest.skip(f"corpus file {source} is absent")
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(source))
    workflow = BpmnWorkflow(parser.get_spec("end_it_all"), script_engine=OnethingScriptEngine())
    pid = os.getpid()
    with pytest.raises(WorkflowTaskException) as info:
        workflow.do_engine_steps()
    assert info.value.error_type == "ScriptRefused"
    assert "import is not allowed (line 1)" in str(info.value)
    assert info.value.line_number == 1
    assert info.value.error_line == "from os import getpid"
    assert info.value.task.task_spec.name == "collect_info"
    assert info.value.task.state == TaskState.ERROR
    assert "pid" not in info.value.task.data
    assert os.getpid() == pid
    kill_script = parser.get_spec("end_it_all").task_specs["end_it"].script
    assert lint(kill_script, "exec") == "import is not allowed (line 1)"
