"""Diagram loader: uploaded BPMN, DMN and form files into parsed SpiffWorkflow specs."""

from engine.runtime.diagrams.compile import CompiledBundle, compile_bundle
from engine.runtime.diagrams.metadata import ElementMeta

__all__ = ["CompiledBundle", "ElementMeta", "compile_bundle"]
