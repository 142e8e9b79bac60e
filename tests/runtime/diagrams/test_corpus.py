"""Every corpus diagram deploys or is refused at load time as SOURCES.md says."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.core.errors import DiagramInvalid
from engine.runtime.diagrams import compile_bundle

# Outcome at the load stage: "runs", "waits" and "contained" all mean the file must compile.
EXPECTED = {
    "Approvals.bpmn": "compiles",
    "ParallelOrder.bpmn": "compiles",
    "Parallel-Multiple-Splits-And-Joins.bpmn20.xml": "compiles",
    "Message-Interrupts.bpmn20.xml": "compiles",
    "boundary_timer_on_task.bpmn": "compiles",
    "gateway_loop_input.bpmn": "compiles",
    "exclusive_gateway_no_default.bpmn": "compiles",
    "timer.bpmn": "compiles",
    "token_trial_parallel_matrix.bpmn": "compiles",
    "human_task_metadata.bpmn": "compiles",
    "user_task_variable.bpmn": "compiles",
    "service_task.bpmn": "compiles",
    "No-Start-Event.bpmn20.xml": "rejected",
    "Unsupported-Task.bpmn20.xml": "rejected",
    "A.1.0.bpmn": "no executable process",
    "A.4.1.bpmn": "no executable process",
    "B.2.0.bpmn": "rejected",
    "C.1.1.bpmn": "rejected",
    "C.8.1.bpmn": "rejected",
    "C.9.0.bpmn": "rejected",
    "C.2.0.bpmn": "rejected",
    "invoiceApproval.bpmn": "compiles",
    "loanApproval.bpmn": "compiles",
    "embedded-spring-rest-loanApproval.bpmn": "compiles",
    "TwitterDemoProcess.bpmn": "compiles",
    "alkt-ansokan.bpmn": "compiles",
    "process-parking-permit.bpmn": "compiles",
    "multi-approvals-1.bpmn": "rejected",
    "invoice.bpmn": "rejected",
    "dangerous.bpmn": "compiles",
}


def _load(corpus: Path, name: str) -> dict[str, bytes]:
    path = corpus / name
    if not path.is_file():
        pytest.skip(f"{name} is not in the corpus")
    return {name: path.read_bytes()}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_loads_as_expected(corpus: Path, name: str) -> None:
    files = _load(corpus, name)
    expected = EXPECTED[name]
    if expected == "compiles":
        bundle = compile_bundle(files)
        assert bundle.process_ids
        assert set(bundle.specs) == set(bundle.process_ids)
        return
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle(files)
    problems = caught.value.problems
    assert problems
    for problem in problems:
        assert problem.file == name
    assert any(p.line or p.element for p in problems), [str(p) for p in problems]
    assert name in str(caught.value)
    if expected != "rejected":
        assert any(expected in p.message for p in problems), [str(p) for p in problems]


def test_every_corpus_file_has_an_expectation(corpus: Path) -> None:
    assert sorted(p.name for p in corpus.iterdir()) == sorted(EXPECTED)


def test_multi_approvals_schema_error_names_the_line(corpus: Path) -> None:
    files = _load(corpus, "multi-approvals-1.bpmn")
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle(files)
    schema = [p for p in caught.value.problems if "schema" in p.message]
    assert schema and schema[0].line == 310


@pytest.mark.parametrize("name, element", [
    ("C.9.0.bpmn", "ServiceTask_GetCreditScore"),
    ("Unsupported-Task.bpmn20.xml", "sid-75EEAB28-3B69-4282-B91A-0F3C97931834"),
    ("No-Start-Event.bpmn20.xml", "sid-669ddebf-4196-41ee-8b04-bcc90bc5f983"),
])
def test_parser_failures_name_element_and_line(corpus: Path, name: str, element: str) -> None:
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle(_load(corpus, name))
    found = [p for p in caught.value.problems if p.element == element]
    assert found and found[0].line


def test_parking_permit_waits_on_external_work(corpus: Path) -> None:
    bundle = compile_bundle(_load(corpus, "process-parking-permit.bpmn"))
    external = [m for m in bundle.elements.values() if m.kind == "external"]
    assert len(external) == 37
    assert all(m.topic for m in external)
    first = bundle.elements["process-parking-permit:external_task_check_appeal"]
    assert first.topic == "CheckAppealTask"


def test_twitter_demo_conditions_are_translated(corpus: Path) -> None:
    bundle = compile_bundle(_load(corpus, "TwitterDemoProcess.bpmn"))
    spec, _ = bundle.specs["TwitterDemoProcess"]
    gateway = spec.task_specs["gateway_approved"]
    conditions = sorted(c.args[0] for c, _ in gateway.cond_task_specs if c is not None)
    assert conditions == ["approved", "not approved"]
    operator = spec.task_specs["service_task_publish_on_twitter"].operation_name
    assert operator == "expression:#{tweetAdapter}"


def test_dangerous_scripts_deploy_with_warnings(corpus: Path) -> None:
    bundle = compile_bundle(_load(corpus, "dangerous.bpmn"))
    assert any("import is not allowed" in w.message for w in bundle.warnings)
    with pytest.raises(DiagramInvalid, match="import is not allowed"):
        compile_bundle(_load(corpus, "dangerous.bpmn"), refuse_unsafe=True)
