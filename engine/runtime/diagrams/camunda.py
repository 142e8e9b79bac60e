"""Rewrite Camunda 7 / Activiti (and plain BPMN) diagrams in place for SpiffBpmnParser."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from engine.runtime.diagrams.flavour import (
    ACTIVITI_NS,
    BPMN_NS,
    CAMUNDA,
    CAMUNDA_NS,
    MIXED,
    SPIFF,
    SPIFF_NS,
)
from engine.runtime.diagrams.juel import JuelError, is_el, is_iso_timer, translate, translate_timer
from engine.runtime.diagrams.lint import Findings
from engine.runtime.diagrams.safe_xml import local_name, namespace

NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
_ACTIVITIES = frozenset({"task", "userTask", "manualTask", "serviceTask", "sendTask",
                         "receiveTask", "scriptTask", "businessRuleTask", "callActivity",
                         "subProcess", "transaction"})
_DELEGATING = frozenset({"serviceTask", "sendTask", "businessRuleTask"})
_SET_VARIABLE = re.compile(
    r"""^\s*[$#]\{\s*execution\.setVariable\(\s*(?P<q>["'])(?P<name>\w+)(?P=q)\s*,"""
    r"""(?P<value>.*)\)\s*\}\s*$""", re.DOTALL)


def cattr(element: Any, name: str) -> str | None:
    """Return a camunda:/activiti: attribute of an element."""
    value: str | None = element.get(f"{{{CAMUNDA_NS}}}{name}")
    if value is None:
        value = element.get(f"{{{ACTIVITI_NS}}}{name}")
    return value


def cext(element: Any, name: str) -> list[Any]:
    """Return the camunda:/activiti: children named name inside an element's extensionElements."""
    found = []
    for ext in element.findall(f"{{{BPMN_NS}}}extensionElements"):
        found += [child for child in ext if local_name(child) == name
                  and namespace(child) in (CAMUNDA_NS, ACTIVITI_NS)]
    return found


def normalise(tree: Any, flavour: str, findings: Findings) -> None:
    """Translate expressions, timers and Camunda extensions so the Spiff parser can run them."""
    root = tree.getroot()
    _expressions(root, findings)
    _timers(root, flavour, findings)
    if flavour not in (CAMUNDA, MIXED):
        return
    for element in list(root.iter(f"{{{BPMN_NS}}}*")):
        name = local_name(element)
        if name in _DELEGATING:
            _delegate(element, findings)
        if name == "businessRuleTask" and cattr(element, "decisionRef"):
            _decision(element, findings)
        if name == "multiInstanceLoopCharacteristics" and cattr(element, "collection"):
            _multi_instance(element, findings)
        if cext(element, "executionListener") or cext(element, "inputOutput"):
            _scripts(element, findings)
        if cext(element, "taskListener"):
            findings.warn(element, "camunda:taskListener is not supported and is ignored")
        if name == "callActivity" and (cext(element, "in") or cext(element, "out")):
            findings.warn(element, "camunda:in/out mappings are ignored: all data is passed")


def _expressions(root: Any, findings: Findings) -> None:
    # ${...} and #{...} are never valid Python, so translating them is safe in any flavour.
    xpath = ("//bpmn:conditionExpression | //bpmn:condition | //bpmn:loopCardinality"
             " | //bpmn:completionCondition | //bpmn:loopCondition")
    for element in root.xpath(xpath, namespaces=NS):
        if element.text and is_el(element.text):
            _translate_into(element, findings, local_name(element))


def _translate_into(element: Any, findings: Findings, what: str) -> None:
    try:
        element.text = translate(element.text)
    except JuelError as exc:
        findings.problem(element, f"{what} {element.text.strip()!r} cannot be translated to "
                                  f"Python: {exc}")
        element.text = "None"  # keep later checks from reporting the same expression twice
    if element.get("language", "").lower() in ("juel", "el"):
        del element.attrib["language"]


def _timers(root: Any, flavour: str, findings: Findings) -> None:
    xpath = "//bpmn:timeDuration | //bpmn:timeDate | //bpmn:timeCycle"
    for element in root.xpath(xpath, namespaces=NS):
        text = element.text or ""
        if flavour == SPIFF and is_iso_timer(text):
            # Spiff timers are Python: a bare PT5M would be read as a variable name.
            findings.problem(element, f"timer {text.strip()} must be a Python expression; "
                                      f"write it quoted: \"{text.strip()}\"")
            continue
        try:
            element.text = translate_timer(text)
        except JuelError as exc:
            findings.problem(element, f"timer {text.strip()!r} cannot be translated: {exc}")
            element.text = "None"


def _extension_elements(element: Any) -> Any:
    found = element.find(f"{{{BPMN_NS}}}extensionElements")
    if found is not None:
        return found
    ext = etree.Element(f"{{{BPMN_NS}}}extensionElements")
    _insert_after(element, ext, {"documentation", "extensionAuditing"})
    return ext


def _insert_after(parent: Any, new: Any, preceding: set[str]) -> None:
    """Insert new before the first child not named in preceding (XSD sequence order)."""
    index = 0
    for index, child in enumerate(parent):  # noqa: B007 - index is used after the loop
        if isinstance(child.tag, str) and local_name(child) not in preceding:
            break
    else:
        index = len(parent)
    parent.insert(index, new)


def _spiff(parent: Any, name: str, text: str | None = None, **attrs: str) -> Any:
    child = etree.SubElement(parent, f"{{{SPIFF_NS}}}{name}", attrs)
    child.text = text
    return child


def _retag(element: Any, name: str, drop: tuple[str, ...]) -> None:
    element.tag = f"{{{BPMN_NS}}}{name}"
    for attribute in drop:
        element.attrib.pop(attribute, None)


def _delegate(element: Any, findings: Findings) -> None:
    if cattr(element, "type") == "external":
        # External work waits for a worker to fetch and complete it, like a user task does.
        _retag(element, "userTask", ("operationRef", "messageRef"))
        if not cattr(element, "topic"):
            findings.problem(element, "external task has no camunda:topic")
        return
    operator = None
    if cattr(element, "class"):
        operator = f"java:{cattr(element, 'class')}"
    elif cattr(element, "delegateExpression") or cattr(element, "expression"):
        expression = cattr(element, "delegateExpression") or cattr(element, "expression")
        operator = f"expression:{expression}"
    else:
        connectors = cext(element, "connector")
        ids = [c.findtext(f"{{{CAMUNDA_NS}}}connectorId") for c in connectors]
        if ids and ids[0]:
            operator = f"connector:{ids[0].strip()}"
    if operator is None:
        if cattr(element, "type"):
            findings.problem(element, f"camunda:type {cattr(element, 'type')!r} is not supported")
        return
    # The operator names the Java code, so running the task fails with an error naming it.
    _retag(element, "serviceTask", ("messageRef",))
    attrs = {"id": operator}
    if cattr(element, "resultVariable"):
        attrs["resultVariable"] = cattr(element, "resultVariable") or ""
    op = _spiff(_extension_elements(element), "serviceTaskOperator", **attrs)
    _spiff(op, "parameters")
    if cext(element, "field"):
        findings.warn(element, "camunda:field injections are not passed to the service")


def _decision(element: Any, findings: Findings) -> None:
    ext = _extension_elements(element)
    if ext.find(f"{{{SPIFF_NS}}}calledDecisionId") is None:
        _spiff(ext, "calledDecisionId", cattr(element, "decisionRef"))
    if cattr(element, "resultVariable"):
        findings.warn(element, "camunda:resultVariable is ignored: decision outputs are "
                               "merged into the case data")


def _multi_instance(loop: Any, findings: Findings) -> None:
    collection = (cattr(loop, "collection") or "").strip()
    try:
        variable = translate(collection) if is_el(collection) else collection
    except JuelError as exc:
        findings.problem(loop, f"camunda:collection {collection!r} cannot be translated: {exc}")
        return
    if not variable.isidentifier():
        findings.problem(loop, f"camunda:collection {collection!r} must name one variable")
        return
    if loop.find(f"{{{BPMN_NS}}}loopDataInputRef") is None:
        ref = etree.Element(f"{{{BPMN_NS}}}loopDataInputRef")
        ref.text = variable
        _insert_after(loop, ref, {"documentation", "extensionElements", "loopCardinality"})
    item_name = cattr(loop, "elementVariable")
    if item_name and loop.find(f"{{{BPMN_NS}}}inputDataItem") is None:
        item = etree.Element(f"{{{BPMN_NS}}}inputDataItem", id=item_name, name=item_name)
        _insert_after(loop, item, {"documentation", "extensionElements", "loopCardinality",
                                   "loopDataInputRef", "loopDataOutputRef"})


def _scripts(element: Any, findings: Findings) -> None:
    """Turn setVariable listeners and input/output mappings into Spiff pre/post scripts."""
    pre: list[str] = []
    post: list[str] = []
    for io in cext(element, "inputOutput"):
        for param in io:
            kind = local_name(param)
            if kind in ("inputParameter", "outputParameter"):
                line = _assignment(param, findings)
                if line is not None:
                    (pre if kind == "inputParameter" else post).append(line)
    for listener in cext(element, "executionListener"):
        line = _listener_assignment(listener)
        if line is None:
            findings.warn(element, "camunda:executionListener is not supported and is ignored")
            continue
        (pre if listener.get("event", "start") == "start" else post).append(line)
    if not (pre or post):
        return
    if local_name(element) not in _ACTIVITIES:
        findings.warn(element, "camunda listeners/mappings on this element are ignored")
        return
    ext = _extension_elements(element)
    for name, lines in (("preScript", pre), ("postScript", post)):
        if lines:
            existing = ext.find(f"{{{SPIFF_NS}}}{name}")
            if existing is None:
                existing = _spiff(ext, name, "")
            existing.text = "\n".join(filter(None, [existing.text or "", *lines]))


def _listener_assignment(listener: Any) -> str | None:
    match = _SET_VARIABLE.match(listener.get("expression") or "")
    if match is None:
        return None
    try:
        return f"{match.group('name')} = {translate(match.group('value'))}"
    except JuelError:
        return None


def _assignment(param: Any, findings: Findings) -> str | None:
    name = param.get("name") or ""
    if not name.isidentifier():
        findings.warn(param, f"camunda parameter {name!r} is not a usable variable name")
        return None
    if len(param):
        findings.warn(param, f"camunda parameter {name!r}: only text values are supported")
        return None
    text = (param.text or "").strip()
    if not text:
        return f"{name} = None"
    if is_el(text):
        try:
            return f"{name} = {translate(text)}"
        except JuelError as exc:
            findings.problem(param, f"camunda parameter {name!r}: {text!r} cannot be "
                                    f"translated: {exc}")
            return None
    if "${" in text or "#{" in text:
        findings.problem(param, f"camunda parameter {name!r}: composite text {text!r} "
                                "is not supported")
        return None
    return f"{name} = {text!r}"
