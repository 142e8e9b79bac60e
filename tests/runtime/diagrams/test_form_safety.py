"""A form may not make the server fetch anything or run a slow regular expression."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator

import pytest

from engine.casework import forms
from engine.core.errors import Conflict, DiagramInvalid, InvalidInput
from engine.runtime.diagrams import compile_bundle
from tests.runtime.diagrams.test_dataflow import diagram

TASK = """
    <bpmn:userTask id="fill"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="formJsonSchemaFilename" value="fill.json"/>
    </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f9</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="fill"/>
    <bpmn:sequenceFlow id="f9" sourceRef="fill" targetRef="e"/>
"""


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A local HTTP server that records every request a form would make it answer."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"type": "string"}')

        def log_message(self, *_args: object) -> None:
            return

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port, hits
    server.shutdown()
    server.server_close()


def bundle_with(form: dict[str, object]) -> dict[str, bytes]:
    return {**diagram(TASK), "fill.json": json.dumps(form).encode()}


@pytest.mark.parametrize("ref", ["http://127.0.0.1:{port}/form.json", "file:///etc/passwd",
                                 "other.json#/x"])
def test_a_reference_out_of_the_form_is_refused_at_deploy_and_never_followed(
        listener: tuple[int, list[str]], ref: str) -> None:
    port, hits = listener
    form = {"type": "object", "properties": {"a": {"$ref": ref.format(port=port)}}}
    with pytest.raises(DiagramInvalid) as err:
        compile_bundle(bundle_with(form))
    assert "points outside the form" in str(err.value)
    with pytest.raises(Conflict):
        forms.validate(form, {"a": "x"})  # a version deployed before the check
    assert hits == []


def test_a_pattern_runs_in_linear_time_and_backtracking_ones_are_refused() -> None:
    slow = {"type": "object", "properties": {"a": {"type": "string", "pattern": "^(a+)+$"}}}
    started = time.monotonic()
    with pytest.raises(InvalidInput) as err:
        forms.validate(slow, {"a": "a" * 5000 + "!"})
    assert time.monotonic() - started < 1.0
    assert err.value.fields[0].path == "a"
    forms.validate(slow, {"a": "aaa"})
    backref = {"type": "object", "properties": {"a": {"type": "string", "pattern": "(a)\\1"}}}
    with pytest.raises(DiagramInvalid) as refused:
        compile_bundle(bundle_with(backref))
    assert "not supported" in str(refused.value)
    compile_bundle(bundle_with(slow))  # RE2 runs it: deployable


def test_pattern_properties_match_names_with_the_same_engine() -> None:
    form = {"type": "object", "patternProperties": {"^x-": {"type": "integer"}}}
    forms.validate(form, {"x-a": 1, "y": "free"})
    with pytest.raises(InvalidInput):
        forms.validate(form, {"x-a": "one"})
