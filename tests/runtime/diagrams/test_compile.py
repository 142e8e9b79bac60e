"""compile_bundle: specs for every process, main process first, forms, and problems listed."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.core.errors import DiagramInvalid
from engine.runtime.diagrams import CompiledBundle, compile_bundle
from tests.runtime.diagrams.conftest import bpmn, data_files, line_of

BUNDLE = ("approval.bpmn", "review.bpmn", "fee.dmn", "accept.json", "accept.ui.json")


def _summary(bundle: CompiledBundle) -> object:
    return (bundle.flavour, bundle.process_ids, list(bundle.specs), bundle.elements,
            bundle.forms, bundle.warnings,
            {pid: sorted(spec.task_specs) for pid, (spec, _) in bundle.specs.items()})


def test_bundle_compiles_with_main_process_first() -> None:
    bundle = compile_bundle(data_files(*BUNDLE))
    assert bundle.flavour == "spiff"
    assert bundle.process_ids == ["approval", "dept_review"]
    spec, subs = bundle.specs["approval"]
    assert spec.name == "approval" and list(subs) == ["dept_review"]
    assert set(bundle.forms) == {"accept.json", "accept.ui.json"}
    assert bundle.files == data_files(*BUNDLE)


def test_main_process_is_the_one_nobody_calls() -> None:
    # review.bpmn sorts after approval.bpmn; renaming it puts the called process first.
    files = data_files(*BUNDLE)
    files["a_review.bpmn"] = files.pop("review.bpmn")
    assert compile_bundle(files).process_ids == ["approval", "dept_review"]


def test_spiff_metadata() -> None:
    meta = compile_bundle(data_files(*BUNDLE)).elements["approval:accept"]
    assert meta.kind == "userTask"
    assert meta.name == "Accept application"
    assert meta.lane == "window"
    assert meta.documentation == "Check the materials."
    assert meta.form_schema == "accept.json"
    assert meta.form_ui_schema == "accept.ui.json"
    assert meta.due == "P3D"
    assert meta.properties["time_limit_days"] == "1"
    assert meta.line == 24
    assert compile_bundle(data_files(*BUNDLE)).elements["dept_review:inspect"].kind == \
        "manualTask"


def test_compile_is_deterministic() -> None:
    files = data_files(*BUNDLE)
    reversed_files = dict(reversed(list(files.items())))
    assert _summary(compile_bundle(files)) == _summary(compile_bundle(reversed_files))


def test_missing_called_element_names_the_call_activity() -> None:
    files = data_files("approval.bpmn", "fee.dmn", "accept.json", "accept.ui.json")
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle(files)
    [problem] = caught.value.problems
    assert problem.file == "approval.bpmn"
    assert problem.element == "review"
    assert problem.line == line_of(files["approval.bpmn"], '<bpmn:callActivity id="review"')
    assert "'dept_review'" in problem.message and "not in the bundle" in problem.message


def test_missing_decision_is_reported() -> None:
    files = data_files("approval.bpmn", "review.bpmn", "accept.json", "accept.ui.json")
    with pytest.raises(DiagramInvalid, match="decision 'fee_decision' is not in the bundle"):
        compile_bundle(files)


def test_missing_form_is_a_problem_when_the_bundle_ships_forms() -> None:
    files = data_files("approval.bpmn", "review.bpmn", "fee.dmn", "accept.json")
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle(files)
    [problem] = caught.value.problems
    assert problem.element == "accept" and "'accept.ui.json'" in problem.message


def test_missing_forms_are_warnings_for_a_bare_diagram() -> None:
    bundle = compile_bundle(data_files("approval.bpmn", "review.bpmn", "fee.dmn"))
    assert sorted(w.message for w in bundle.warnings) == [
        "form 'accept.json' is not in the bundle", "form 'accept.ui.json' is not in the bundle"]


def test_bad_json_and_bad_schema_are_problems() -> None:
    files = data_files(*BUNDLE)
    files["accept.ui.json"] = b'{"complete": '
    files["accept.json"] = json.dumps({"type": 12}).encode()
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle(files)
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith("accept.ui.json:1: invalid JSON") for m in messages), messages
    assert any("not a valid JSON Schema" in m and "accept" in m for m in messages), messages


def test_no_executable_process() -> None:
    body = '<bpmn:startEvent id="s" />'
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle({"draft.bpmn": bpmn(body, executable="false")})
    [problem] = caught.value.problems
    assert problem.file == "draft.bpmn" and "no executable process" in problem.message
    assert problem.element == "p" and problem.line == 3


def test_all_problems_across_files_are_listed() -> None:
    files = data_files(*BUNDLE)
    files["draft.bpmn"] = bpmn('<bpmn:startEvent id="s" />', "draft", executable="false")
    files["broken.bpmn"] = b"<oops"
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle(files)
    assert [p.file for p in caught.value.problems] == ["broken.bpmn", "draft.bpmn"]


def test_unknown_reference_is_a_human_message() -> None:
    body = '''<bpmn:startEvent id="s"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
<bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="ghost" />'''
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle({"d.bpmn": bpmn(body)})
    [problem] = caught.value.problems
    assert problem.element == "f0" and problem.line == 5
    assert problem.message == "targetRef refers to unknown element 'ghost'"


@pytest.mark.parametrize("error, expected", [
    (KeyError("ghost_task"), "reference to unknown element 'ghost_task'"),
    (TypeError("'NoneType' object is not iterable"), "unsupported element <process>"),
    (AttributeError("'NoneType' object has no attribute 'get'"), "unsupported element"),
])
def test_bare_parser_errors_become_problems(monkeypatch: pytest.MonkeyPatch,
                                            error: Exception, expected: str) -> None:
    # SpiffWorkflow raises bare KeyError/TypeError on some real files (MIWG C.9.0, C.2.0).
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

    def broken(self: object, process_id: str, required: bool = True) -> None:
        raise error

    monkeypatch.setattr(SpiffBpmnParser, "get_spec", broken)
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle(data_files(*BUNDLE))
    problems = caught.value.problems
    assert all(p.file == "approval.bpmn" or p.file == "review.bpmn" for p in problems)
    assert any(expected in p.message and p.line for p in problems), [str(p) for p in problems]


def test_duplicate_process_id_across_files() -> None:
    files = data_files(*BUNDLE)
    files["copy.bpmn"] = files["review.bpmn"]
    with pytest.raises(DiagramInvalid, match="Duplicate process ID: dept_review"):
        compile_bundle(files)


def test_empty_upload_and_other_files() -> None:
    with pytest.raises(DiagramInvalid, match="no BPMN file"):
        compile_bundle({})
    # guides and notes travel with a bundle without a warning; anything else is named
    bundle = compile_bundle({**data_files(*BUNDLE), "guide.md": b"# guide",
                             "notes.txt": b"x"})
    assert [(w.file, w.message) for w in bundle.warnings] == [
        ("notes.txt", "not a BPMN, DMN or JSON file; ignored")]


@settings(max_examples=40, deadline=None)
@given(start=st.integers(min_value=0, max_value=4000), length=st.integers(1, 200))
def test_damaged_files_only_raise_diagram_invalid(start: int, length: int) -> None:
    files = data_files(*BUNDLE)
    data = files["approval.bpmn"]
    files["approval.bpmn"] = data[:start] + data[start + length:]
    try:
        compile_bundle(files)
    except DiagramInvalid as exc:
        assert exc.problems and all(p.file for p in exc.problems)
