"""Shared paths and helpers for the diagram loader tests."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
# The corpus sits beside the project (../shared/corpus), not inside it: a clone may lack it.
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "bpmn"

BPMN_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'id="defs" targetNamespace="http://onething.example/test">\n'
)


def bpmn(body: str, process_id: str = "p", executable: str = "true") -> bytes:
    """Wrap process body XML in definitions; the body starts on line 4."""
    return (f'{BPMN_HEAD}<bpmn:process id="{process_id}" isExecutable="{executable}">\n'
            f"{body}\n</bpmn:process>\n</bpmn:definitions>\n").encode()


def line_of(data: bytes, needle: str) -> int:
    """Return the 1-based line of the first occurrence of needle."""
    text = data.decode()
    return text[: text.index(needle)].count("\n") + 1


def data_files(*names: str) -> dict[str, bytes]:
    """Read fixture files from tests/runtime/diagrams/data."""
    return {name: (DATA / name).read_bytes() for name in names}


@pytest.fixture
def corpus() -> Path:
    """The shared BPMN corpus folder; skips when this clone has no ../shared/corpus."""
    if not CORPUS.is_dir():
        pytest.skip(f"BPMN corpus not found at {CORPUS} (only present beside the project)")
    return CORPUS
