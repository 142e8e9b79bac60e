"""Tell which modeler dialect a diagram is written in from the extensions it actually uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.runtime.diagrams.safe_xml import namespace

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
ACTIVITI_NS = "http://activiti.org/bpmn"
CAMUNDA_NAMESPACES = frozenset({CAMUNDA_NS, ACTIVITI_NS})
DMN_NAMESPACES = frozenset({
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
})

SPIFF = "spiff"
CAMUNDA = "camunda"
BPMN = "bpmn"
MIXED = "mixed"


def _used_namespaces(root: Any) -> set[str]:
    """Collect namespaces of elements and attributes in use (declarations alone don't count)."""
    used: set[str] = set()
    for element in root.iter():
        ns = namespace(element)
        if ns:
            used.add(ns)
        for name in element.attrib:
            if name.startswith("{"):
                used.add(name[1:].partition("}")[0])
    return used


def detect_flavour(root: Any) -> str:
    """Return 'spiff', 'camunda', 'mixed' (both) or 'bpmn' for one diagram."""
    # Modelers declare namespaces they never use (spiff files often declare camunda's),
    # so only elements and attributes that are really present decide.
    used = _used_namespaces(root)
    spiff = SPIFF_NS in used
    camunda = bool(used & CAMUNDA_NAMESPACES)
    if spiff and camunda:
        return MIXED
    if spiff:
        return SPIFF
    if camunda:
        return CAMUNDA
    return BPMN


def bundle_flavour(flavours: Iterable[str]) -> str:
    """Combine per-file flavours: one shared flavour, else 'mixed'; plain BPMN defers to others."""
    distinct = set(flavours)
    if len(distinct) > 1:
        distinct.discard(BPMN)
    if not distinct:
        return BPMN
    if len(distinct) == 1:
        return distinct.pop()
    return MIXED
