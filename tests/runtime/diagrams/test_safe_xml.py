"""Untrusted XML: entities never expand, nothing is read from disk, malformed input is a Problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.core.errors import DiagramInvalid
from engine.runtime.diagrams import compile_bundle
from engine.runtime.diagrams.safe_xml import parse_xml
from tests.runtime.diagrams.conftest import bpmn, line_of


def test_corpus_xxe_file_is_refused_before_parsing(corpus: Path) -> None:
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle({"invoice.bpmn": (corpus / "invoice.bpmn").read_bytes()})
    [problem] = caught.value.problems
    assert problem.file == "invoice.bpmn"
    assert problem.line == 2
    assert "DOCTYPE" in problem.message


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    payload = (f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>\n'
               "<x>&e;</x>").encode()
    with pytest.raises(DiagramInvalid) as caught:
        parse_xml("evil.bpmn", payload)
    assert "TOP-SECRET-VALUE" not in str(caught.value)
    assert caught.value.problems[0].line == 2


def test_entity_bomb_is_refused() -> None:
    bomb = b'<?xml version="1.0"?>\n<!DOCTYPE lol [\n<!ENTITY a "aaaaaaaaaa">\n' \
           b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<lol>&b;</lol>'
    with pytest.raises(DiagramInvalid, match="DOCTYPE"):
        parse_xml("bomb.bpmn", bomb)


def test_utf16_doctype_is_refused() -> None:
    payload = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x>\n<x/>'.encode("utf-16")
    with pytest.raises(DiagramInvalid, match="DOCTYPE"):
        parse_xml("wide.bpmn", payload)


def test_undeclared_entity_reference_is_a_syntax_error() -> None:
    with pytest.raises(DiagramInvalid) as caught:
        parse_xml("ref.bpmn", b"<x>\n&undefined;</x>")
    assert caught.value.problems[0].line == 2


def test_malformed_xml_names_file_and_line() -> None:
    data = bpmn('<bpmn:startEvent id="s">\n<bpmn:outgoing>f</bpmn:startEvent>')
    with pytest.raises(DiagramInvalid) as caught:
        compile_bundle({"broken.bpmn": data})
    [problem] = caught.value.problems
    assert problem.file == "broken.bpmn"
    assert problem.line == line_of(data, "</bpmn:startEvent>")
    assert problem.message.startswith("malformed XML")


@pytest.mark.parametrize("data", [b"", b"\x00\xff\xfe garbage", b"not xml at all", b"<a><b></a>"])
def test_garbage_is_diagram_invalid(data: bytes) -> None:
    with pytest.raises(DiagramInvalid):
        compile_bundle({"junk.bpmn": data})


def test_xml_that_is_not_bpmn_is_refused() -> None:
    with pytest.raises(DiagramInvalid, match="not a BPMN or DMN document"):
        compile_bundle({"page.xml": b"<html><body/></html>"})
