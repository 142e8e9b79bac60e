"""Turn an uploaded bundle (BPMN, DMN, JSON forms) into parsed specs or a DiagramInvalid."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser

from engine.core.errors import DiagramInvalid, Problem
from engine.runtime.diagrams.camunda import normalise
from engine.runtime.diagrams.dataflow import (
    DataFlow,
    analyse,
    warn_protected_fields,
    warn_protected_messages,
)
from engine.runtime.diagrams.flavour import BPMN_NS, DMN_NAMESPACES, bundle_flavour, detect_flavour
from engine.runtime.diagrams.lint import (
    Findings,
    check_references,
    lint_bpmn,
    lint_dmn,
    schema_problems,
    short_tags,
)
from engine.runtime.diagrams.metadata import ElementMeta, check_forms, collect
from engine.runtime.diagrams.safe_xml import namespace, parse_xml

log = logging.getLogger(__name__)
_WRAPPED_ERROR = re.compile(r"^(KeyError|TypeError|AttributeError|IndexError|ValueError)\((.*)\)$",
                            re.DOTALL)
_REFERENCE_ATTRIBUTES = ("sourceRef", "targetRef", "attachedToRef", "default", "messageRef",
                         "signalRef", "errorRef", "escalationRef", "calledElement", "processRef")


@dataclass
class CompiledBundle:
    """A bundle that parsed: its specs, per-element metadata, forms and warnings."""

    files: dict[str, bytes]
    flavour: str
    process_ids: list[str]
    specs: dict[str, tuple[Any, dict[str, Any]]]
    elements: dict[str, ElementMeta]
    forms: dict[str, dict[str, Any]]
    warnings: list[Problem] = field(default_factory=list)
    # which variables decide who works a task, and which ones a formless task may take
    dataflow: DataFlow = field(default_factory=DataFlow)


@dataclass
class _Bundle:
    """Working state while compiling: parsed trees and what each file is."""

    findings: dict[str, Findings] = field(default_factory=dict)
    bpmn: dict[str, Any] = field(default_factory=dict)
    dmn: dict[str, Any] = field(default_factory=dict)
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)
    flavours: list[str] = field(default_factory=list)
    elements: dict[tuple[str, str], Any] = field(default_factory=dict)


def compile_bundle(files: Mapping[str, bytes], *, refuse_unsafe: bool = False) -> CompiledBundle:
    """Parse, normalise, lint and build every process; raise DiagramInvalid listing all problems."""
    bundle = _Bundle()
    for name in sorted(files):
        findings = bundle.findings[name] = Findings(name, refuse_unsafe=refuse_unsafe)
        _read(name, bytes(files[name]), bundle, findings)
    if not bundle.bpmn and not any(f.problems for f in bundle.findings.values()):
        bundle.findings.setdefault("", Findings("")).problem(None, "the upload holds no BPMN file")
    parser = SpiffBpmnParser(validator=VALIDATOR)
    added = _add_to_parser(parser, bundle)
    process_ids = _order_processes(bundle, added)
    specs: dict[str, tuple[Any, dict[str, Any]]] = {}
    for process_id in process_ids:
        try:
            specs[process_id] = (parser.get_spec(process_id),
                                 parser.get_subprocess_specs(process_id))
        except Exception as exc:  # noqa: BLE001 - every parser failure becomes a Problem
            _record(bundle, _explain(exc, _file_of(bundle, process_id), bundle.elements,
                                     process_id))
    all_specs = [(pid, spec) for pid, (spec, _) in specs.items()]
    for _, (_, subs) in specs.items():
        all_specs += [(sid, sub) for sid, sub in sorted(subs.items()) if sub is not None]
    try:
        metas, files_of = collect(all_specs, bundle.elements, bundle.findings)
        check_forms(metas, files_of, bundle.forms, bundle.elements, bundle.findings)
    except Exception as exc:  # noqa: BLE001
        log.exception("reading element metadata failed")
        _record(bundle, Problem(next(iter(bundle.bpmn), ""), f"cannot read metadata: {exc}"))
        metas, files_of = {}, {}
    flow = analyse({n: t.getroot() for n, t in bundle.bpmn.items()}, bundle.dmn, metas)
    warn_protected_fields(flow, metas, files_of, bundle.forms,
                          bundle.elements, bundle.findings)
    warn_protected_messages(flow, {n: t.getroot() for n, t in bundle.bpmn.items()},
                            bundle.findings)
    order = {name: index for index, name in enumerate(sorted(bundle.findings))}
    problems = _sorted(order, [p for f in bundle.findings.values() for p in f.problems])
    warnings = _sorted(order, [p for f in bundle.findings.values() for p in f.warnings])
    if problems:
        raise DiagramInvalid(problems)
    for _, spec in all_specs:
        _wire_loops(spec)
    log.info("compiled bundle with processes %s", process_ids)
    return CompiledBundle(
        files=dict(files), flavour=bundle_flavour(bundle.flavours), process_ids=process_ids,
        specs=specs, elements=dict(sorted(metas.items())), forms=bundle.forms,
        warnings=warnings, dataflow=flow)


def _wire_loops(spec: Any) -> None:
    """Connect each multi-instance task to its child's completion, as SpiffWorkflow does lazily.

    SpiffWorkflow connects the child's completed_event to the loop's merge_child
    only when it creates a child; a workflow restored from rows onto specs that
    never created one would complete children without collecting their output.
    """
    for task_spec in spec.task_specs.values():
        merge = getattr(task_spec, "merge_child", None)
        child_name = getattr(task_spec, "task_spec", None)
        if merge is None or not isinstance(child_name, str):
            continue
        child = spec.task_specs.get(child_name)
        if child is not None and not child.completed_event.is_connected(merge):
            child.completed_event.connect(merge)


def _read(name: str, data: bytes, bundle: _Bundle, findings: Findings) -> None:
    lower = name.lower()
    if lower.endswith(".json"):
        try:
            form = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            findings.problems.append(Problem(name, f"invalid JSON: {exc}", line=line))
            return
        if not isinstance(form, dict):
            findings.problem(None, "a form file must hold a JSON object")
            return
        bundle.forms[name] = form
        return
    if lower.endswith((".yaml", ".yml", ".md")):
        return  # guides and notes travel with the bundle; deploy checks the guide
    if not lower.endswith((".bpmn", ".xml", ".dmn")):
        findings.warn(None, "not a BPMN, DMN or JSON file; ignored")
        return
    try:
        tree = parse_xml(name, data)
    except DiagramInvalid as exc:
        findings.problems += exc.problems
        return
    root = tree.getroot()
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("id"):
            bundle.elements.setdefault((name, element.get("id")), element)
    if namespace(root) in DMN_NAMESPACES:
        bundle.dmn[name] = root
        lint_dmn(root, findings)
    elif namespace(root) == BPMN_NS:
        flavour = detect_flavour(root)
        bundle.flavours.append(flavour)
        try:
            normalise(tree, flavour, findings)
            lint_bpmn(root, findings)
            check_references(root, findings)
        except Exception as exc:  # noqa: BLE001 - odd input must stay a Problem, not a 500
            log.exception("checking %s failed", name)
            findings.problem(root, f"cannot be checked: {type(exc).__name__}: {exc}")
            return
        bundle.bpmn[name] = tree
    else:
        findings.problem(root, f"not a BPMN or DMN document (root element {root.tag!r})")


def _add_to_parser(parser: Any, bundle: _Bundle) -> list[str]:
    """Add every readable file to the parser; return the BPMN files it accepted."""
    for name, root in bundle.dmn.items():
        try:
            parser.add_dmn_xml(root, filename=name)
            for dmn_parser in list(parser.dmn_parsers.values()):
                if dmn_parser.filename == name:
                    dmn_parser.parse()  # lazily parsed otherwise; surface its errors now
        except Exception as exc:  # noqa: BLE001
            _record(bundle, _explain(exc, name, bundle.elements))
    added = []
    for name, tree in bundle.bpmn.items():
        invalid = schema_problems(name, tree)
        if invalid:
            bundle.findings[name].problems += invalid
            continue
        try:
            parser.add_bpmn_xml(tree, filename=name)
            added.append(name)
        except Exception as exc:  # noqa: BLE001
            _record(bundle, _explain(exc, name, bundle.elements))
    return added


def _order_processes(bundle: _Bundle, added: list[str]) -> list[str]:
    """List executable processes, the main one (called by no other) first."""
    ids: list[str] = []
    called: set[str] = set()
    ns = {"bpmn": BPMN_NS}
    for name in added:
        root = bundle.bpmn[name].getroot()
        processes = root.xpath("//bpmn:process", namespaces=ns)
        executable = [p.get("id") for p in processes if p.get("isExecutable", "true") == "true"]
        called.update(root.xpath("//bpmn:callActivity/@calledElement", namespaces=ns))
        if not executable:
            where = processes[0] if processes else None
            bundle.findings[name].problem(where, "no executable process (every process has "
                                                 "isExecutable=\"false\" or there is none)")
        ids += executable
    main = next((pid for pid in ids if pid not in called), None)
    return ([main] if main else []) + [pid for pid in ids if pid != main]


def _file_of(bundle: _Bundle, process_id: str) -> str:
    for name in bundle.bpmn:
        if (name, process_id) in bundle.elements:
            return name
    return ""


def _record(bundle: _Bundle, problem: Problem) -> None:
    findings = bundle.findings.setdefault(problem.file, Findings(problem.file))
    # A parser crash on an element already reported adds noise, not information.
    if problem.element and any(p.element == problem.element for p in findings.problems):
        return
    findings.problems.append(problem)


def _sorted(order: Mapping[str, int], found: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda p: (order.get(p.file, len(order)), p.line or 0))


def _humane(message: str, tag: str) -> str:
    """Reword SpiffWorkflow's parser messages for a process designer."""
    missing = re.match(r"The process '(.*)' was not found", message)
    if missing:
        return f"calls process {missing.group(1)!r}, which is not in the bundle"
    if message.startswith("There is no support implemented"):
        return f"unsupported element <{tag or 'unknown'}>"
    if message.startswith("A Service Task must have an operator"):
        return ("service task has no implementation (add spiffworkflow:serviceTaskOperator, "
                "or camunda:class / delegateExpression / expression / type=\"external\")")
    decision = re.match(r'No DMN Diagram available with id "(.*?)"', message)
    if decision:
        if decision.group(1) == "None":
            return "business rule task names no decision (add spiffworkflow:calledDecisionId)"
        return f"decision {decision.group(1)!r} is not in the bundle"
    store = re.match(r"Data Store with name (.*) has no implementation", message)
    if store:
        return f"data store {store.group(1)!r} is not supported (no implementation)"
    not_executable = re.match(r"Process (.*) is not executable", message)
    if not_executable:
        return f"calls process {not_executable.group(1)!r}, which is not executable"
    reference = _missing_reference(message)
    if reference is not None and not message.startswith("The process"):
        return f"reference to unknown element {reference!r}"
    if message.startswith("Multiple outgoing flows are not supported"):
        return (f"<{tag or 'element'}> has several outgoing flows; split with a gateway "
                "(implicit splits are not supported)")
    if message.startswith("Non-default exclusive outgoing sequence flow without condition"):
        return ("flow leaves a gateway without condition and is not the gateway's default "
                "flow")
    wrapped = _WRAPPED_ERROR.match(message)
    if wrapped:
        return f"unsupported element <{tag or 'unknown'}>: {wrapped.group(2)}"
    return message.rstrip(".") or "invalid diagram"


def _missing_reference(message: str) -> str | None:
    """Return the id a parser message says could not be found, if it says so."""
    for pattern in (r"The process '(.*)' was not found", r"^KeyError\(['\"](.*)['\"]\)$",
                    r"we found two items, .*\((.*)\)$"):
        found = re.search(pattern, message, re.DOTALL)
        if found:
            return found.group(1)
    return None


def _referrer(elements: Mapping[tuple[str, str], Any], file: str, target: str) -> Any:
    """Find the element whose reference attribute names a missing id."""
    for (name, _), element in elements.items():
        if file and name != file:
            continue
        if any(element.get(attr) == target for attr in _REFERENCE_ATTRIBUTES):
            return element
    return None


def _explain(exc: Exception, file: str, elements: Mapping[tuple[str, str], Any],
             process_id: str | None = None) -> Problem:
    """Turn any exception raised while parsing into a Problem with file, element and line."""
    file = getattr(exc, "file_name", "") or file
    element_id = getattr(exc, "id", "") or None
    tag = str(getattr(exc, "tag", "") or "").replace("bpmn:", "")
    message = str(exc.args[0]) if exc.args else type(exc).__name__
    if isinstance(exc, KeyError):
        message = f"KeyError({message!r})"
    elif not hasattr(exc, "file_name") and not isinstance(exc, KeyError):
        message = f"{type(exc).__name__}({message})"
    element = None
    if element_id:
        element = elements.get((file, element_id))
        if element is None:
            element = next((e for (_, i), e in elements.items() if i == element_id), None)
    name = _missing_reference(message)
    if name is not None:
        referrer = _referrer(elements, file, name)
        element = referrer if referrer is not None else element
    store = re.match(r"Data Store with name (.*) has no implementation", message)
    if store:
        element = next((e for (n, _), e in elements.items() if (not file or n == file)
                        and e.tag.endswith("}dataStore") and e.get("name") == store.group(1)),
                       element)
    if element is None and process_id is not None:
        element = elements.get((file, process_id))  # at least point at the process
    if element is not None:
        tag = tag or element.tag.rpartition("}")[2]
        element_id = element.get("id")
        file = file or next((n for (n, i), e in elements.items() if e is element), "")
    line = getattr(exc, "line_number", None)
    if not isinstance(line, int) or line <= 0:
        line = element.sourceline if element is not None else None
    return Problem(file, _humane(short_tags(message), tag), line=line, element=element_id)
