"""Deploy-time lint: every expression, script, timer and DMN cell must parse as Python."""

from __future__ import annotations

import pytest

from engine.core.errors import DiagramInvalid
from engine.runtime.diagrams import compile_bundle
from tests.runtime.diagrams.conftest import bpmn, data_files, line_of

GATEWAY = '''<bpmn:startEvent id="s"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
<bpmn:exclusiveGateway id="gw" default="f_b">
  <bpmn:incoming>f0</bpmn:incoming><bpmn:outgoing>f_a</bpmn:outgoing><bpmn:outgoing>f_b</bpmn:outgoing>
</bpmn:exclusiveGateway>
<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="gw" />
<bpmn:sequenceFlow id="f_a" sourceRef="gw" targetRef="a">
  <bpmn:conditionExpression>CONDITION</bpmn:conditionExpression>
</bpmn:sequenceFlow>
<bpmn:sequenceFlow id="f_b" sourceRef="gw" targetRef="b" />
<bpmn:endEvent id="a"><bpmn:incoming>f_a</bpmn:incoming></bpmn:endEvent>
<bpmn:endEvent id="b"><bpmn:incoming>f_b</bpmn:incoming></bpmn:endEvent>'''

SCRIPT = '''<bpmn:startEvent id="s"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
<bpmn:scriptTask id="calc" name="Calculate" FORMAT>
  <bpmn:incoming>f0</bpmn:incoming><bpmn:outgoing>f1</bpmn:outgoing>
  <bpmn:script>SCRIPT</bpmn:script>
</bpmn:scriptTask>
<bpmn:endEvent id="e"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="calc" />
<bpmn:sequenceFlow id="f1" sourceRef="calc" targetRef="e" />'''


def _problems(files: dict[str, bytes], **options: bool) -> list[str]:
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle(files, **options)
    return [str(p) for p in caught.value.problems]


def test_condition_syntax_error_names_flow_and_line() -> None:
    data = bpmn(GATEWAY.replace("CONDITION", "amount &gt;"))
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle({"gw.bpmn": data})
    [problem] = caught.value.problems
    assert problem.element == "f_a"
    assert problem.line == line_of(data, '<bpmn:sequenceFlow id="f_a"')
    assert "condition is not valid Python" in problem.message
    assert str(problem).startswith(f"gw.bpmn:{problem.line}: f_a: ")


def test_valid_condition_compiles() -> None:
    bundle = compile_bundle({"gw.bpmn": bpmn(GATEWAY.replace("CONDITION", "amount &gt; 3"))})
    assert bundle.process_ids == ["p"]


def test_gateway_flow_without_condition_is_rejected() -> None:
    data = bpmn(GATEWAY.replace("<bpmn:conditionExpression>CONDITION</bpmn:conditionExpression>",
                                ""))
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle({"gw.bpmn": data})
    [problem] = caught.value.problems
    assert problem.element == "f_a"
    assert problem.line == line_of(data, '<bpmn:sequenceFlow id="f_a"')
    assert "without condition" in problem.message


def test_script_syntax_error_names_task_and_script_line() -> None:
    data = bpmn(SCRIPT.replace("FORMAT", "").replace("SCRIPT", "a = 1\nb = (2"))
    [problem] = _problems({"s.bpmn": data})
    assert problem.startswith(f"s.bpmn:{line_of(data, '<bpmn:scriptTask')}: calc: script")
    assert "line 2 of the text" in problem


@pytest.mark.parametrize("language", ["javascript", "groovy", "juel"])
def test_non_python_script_language_is_rejected(language: str) -> None:
    data = bpmn(SCRIPT.replace("FORMAT", f'scriptFormat="{language}"').replace("SCRIPT", "x"))
    [problem] = _problems({"s.bpmn": data})
    assert "calc" in problem and repr(language) in problem


def test_unsafe_script_is_a_warning_or_a_problem() -> None:
    data = bpmn(SCRIPT.replace("FORMAT", "").replace("SCRIPT", "x = ().__class__"))
    bundle = compile_bundle({"s.bpmn": data})
    assert [w.element for w in bundle.warnings] == ["calc"]
    assert "'_'" in bundle.warnings[0].message
    [problem] = _problems({"s.bpmn": data}, refuse_unsafe=True)
    assert "calc" in problem


@pytest.mark.parametrize("script, reason", [
    ("import os", "import"),
    ("f = lambda: 1", "lambda"),
    ("def f():\n    return 1", "def"),
    ("class K:\n    pass", "class"),
    ("_x = 1", "'_'"),
])
def test_forbidden_constructs(script: str, reason: str) -> None:
    data = bpmn(SCRIPT.replace("FORMAT", "").replace("SCRIPT", script))
    [problem] = _problems({"s.bpmn": data}, refuse_unsafe=True)
    assert reason in problem


TIMER = '''<bpmn:startEvent id="s"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
<bpmn:intermediateCatchEvent id="wait">
  <bpmn:incoming>f0</bpmn:incoming><bpmn:outgoing>f1</bpmn:outgoing>
  <bpmn:timerEventDefinition id="td">
    <bpmn:timeDuration>BODY</bpmn:timeDuration>
  </bpmn:timerEventDefinition>
</bpmn:intermediateCatchEvent>
<bpmn:endEvent id="e"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="wait" />
<bpmn:sequenceFlow id="f1" sourceRef="wait" targetRef="e" />'''


def test_plain_bpmn_timer_is_quoted() -> None:
    bundle = compile_bundle({"t.bpmn": bpmn(TIMER.replace("BODY", "PT5M"))})
    spec, _ = bundle.specs["p"]
    assert spec.task_specs["wait"].event_definition.expression == "'PT5M'"


def test_spiff_timer_must_be_python() -> None:
    spiff_marker = '<bpmn:extensionElements><spiffworkflow:properties /></bpmn:extensionElements>'
    body = TIMER.replace("BODY", "PT5M").replace('<bpmn:endEvent id="e">',
                                                 f'<bpmn:endEvent id="e">{spiff_marker}')
    [problem] = _problems({"t.bpmn": bpmn(body)})
    assert "wait" in problem and '"PT5M"' in problem


def test_timer_syntax_error_is_reported() -> None:
    [problem] = _problems({"t.bpmn": bpmn(TIMER.replace("BODY", "2026-01-01 +"))})
    assert "wait" in problem and "timer" in problem


def test_bad_dmn_cell_is_reported_with_cell_id() -> None:
    files = data_files("approval.bpmn", "review.bpmn", "fee.dmn", "accept.json",
                       "accept.ui.json")
    files["fee.dmn"] = files["fee.dmn"].replace(b"&lt; 200", b"&lt; &lt; 200")
    problems = _problems(files)
    assert any("fee.dmn" in p and "rule_small_area" in p and "DMN cell" in p for p in problems)


def test_dmn_operator_cells_are_accepted() -> None:
    files = data_files("approval.bpmn", "review.bpmn", "fee.dmn", "accept.json",
                       "accept.ui.json")
    assert compile_bundle(files).process_ids == ["approval", "dept_review"]
