"""Which process variables decide who works a task, and which ones people are asked for.

Read once per bundle version from the normalised BPMN and DMN trees:

- ``protected``: the variables a candidate or assignee expression (``${review_group}``)
  reads, the variables the engine sets itself (``routing``, ``applicant_user``), and,
  through the bundle's scripts and multi-instance mappings, every variable whose value
  flows into one of those (``review_group = item["group"]`` makes ``item`` protected, and
  the loop over ``review_plan`` makes ``review_plan`` protected). A key or index only
  selects (``catalogue[code]``, ``routing.get(code)``): it does not flow.
- ``free``: the variables the diagram reads and nothing in it sets. A task or a start
  event without a form may be given these, and nothing else.

A person's task writes only what its form declares; a form that declares a protected
variable is warned about at deploy, because whoever completes it can then change who
works a later task.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.runtime.diagrams.flavour import BPMN_NS, SPIFF_NS
from engine.runtime.diagrams.form_fields import declared_names
from engine.runtime.diagrams.metadata import ElementMeta
from engine.runtime.sandbox.builtins import BUILTINS

# set by the engine when a case starts; never taken from a person or a request
ENGINE_OWNED = frozenset({"routing", "applicant_user"})
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
_EXPRESSION = re.compile(r"[$#]\{\s*([^}]*)\}")
_MUTATORS = frozenset({"append", "extend", "insert", "update", "setdefault", "add"})
_SCRIPTS = (".//bpmn:scriptTask/bpmn:script",
            ".//bpmn:extensionElements/spiffworkflow:preScript",
            ".//bpmn:extensionElements/spiffworkflow:postScript")
_EXPRESSIONS = (".//spiffworkflow:processVariableCorrelation/spiffworkflow:expression",
                ".//spiffworkflow:messagePayload",
                ".//bpmn:conditionExpression", ".//bpmn:condition", ".//bpmn:timeDuration",
                ".//bpmn:timeDate", ".//bpmn:timeCycle", ".//bpmn:loopCardinality",
                ".//bpmn:completionCondition", ".//bpmn:loopCondition")


@dataclass(frozen=True)
class DataFlow:
    """What a bundle's diagrams say about their variables."""

    protected: frozenset[str] = ENGINE_OWNED
    free: frozenset[str] = frozenset()
    assigned: frozenset[str] = frozenset()
    # every variable an expression, script or candidate of the diagrams reads
    mentioned: frozenset[str] = frozenset()
    # the outputs of the bundle's decision tables, and their labels ("情形材料 Extra material")
    decided: frozenset[str] = frozenset()
    decided_labels: Mapping[str, str] = field(default_factory=dict)


@dataclass
class _Collected:
    reads: set[str] = field(default_factory=set)
    # read where nothing before it (in the same script) has set it: an input of the diagram
    exposed: set[str] = field(default_factory=set)
    assigned: set[str] = field(default_factory=set)
    # set by a decision, a loop, a message or a service: never a person's to give
    produced: set[str] = field(default_factory=set)
    decided: set[str] = field(default_factory=set)
    decided_labels: dict[str, str] = field(default_factory=dict)
    # (targets, sources): the value of the sources flows into the targets
    edges: list[tuple[frozenset[str], frozenset[str]]] = field(default_factory=list)

    def flow(self, targets: Iterable[str], sources: Iterable[str]) -> None:
        t, s = frozenset(targets), frozenset(sources)
        if t and s:
            self.edges.append((t, s))


def analyse(bpmn: Mapping[str, Any], dmn: Mapping[str, Any],
            metas: Mapping[str, ElementMeta]) -> DataFlow:
    """Compute the protected and free variables of a bundle's trees and element metadata."""
    found = _Collected()
    for root in bpmn.values():
        _read_bpmn(root, found)
    for root in dmn.values():
        _read_dmn(root, found)
    named: set[str] = set()
    for meta in metas.values():
        for text in _assignment_texts(meta):
            named |= expression_names(text)
    protected = _closure(named | ENGINE_OWNED, found.edges)
    free = found.exposed - found.produced - protected - set(BUILTINS) - _CONSTANTS
    return DataFlow(protected=frozenset(protected), free=frozenset(free),
                    assigned=frozenset(found.assigned | found.produced),
                    mentioned=frozenset(found.reads | named),
                    decided=frozenset(found.decided),
                    decided_labels=dict(found.decided_labels))


_CONSTANTS = frozenset({"True", "False", "None"})


def _assignment_texts(meta: ElementMeta) -> Iterator[str]:
    yield from meta.candidate_groups
    yield from meta.candidate_users
    if meta.assignee:
        yield meta.assignee
    for name in ("candidateGroups", "candidateUsers", "assignee"):
        if meta.properties.get(name):
            yield meta.properties[name]
    if meta.lane:
        yield meta.lane


def expression_names(text: str) -> set[str]:
    """The variables the ``${...}`` / ``#{...}`` parts of TEXT read."""
    names: set[str] = set()
    for match in _EXPRESSION.finditer(text or ""):
        try:
            tree = ast.parse(match.group(1).strip(), mode="eval")
        except SyntaxError:
            continue
        names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return names


def _closure(seeds: set[str], edges: list[tuple[frozenset[str], frozenset[str]]]) -> set[str]:
    protected = set(seeds)
    changed = True
    while changed:
        changed = False
        for targets, sources in edges:
            if targets & protected and not sources <= protected:
                protected |= sources
                changed = True
    return protected


def _parse(text: str, mode: str) -> ast.AST | None:
    source = textwrap.dedent(text.strip("\n")) if mode == "exec" else text.strip()
    try:
        return ast.parse(source, mode=mode)
    except SyntaxError:
        return None  # the lint reports it


def _read_bpmn(root: Any, found: _Collected) -> None:
    for xpath in _SCRIPTS:
        for element in root.xpath(xpath, namespaces=NS):
            tree = _parse(element.text or "", "exec")
            if tree is not None:
                _read_code(tree, found)
    for xpath in _EXPRESSIONS:
        for element in root.xpath(xpath, namespaces=NS):
            tree = _parse(element.text or "", "eval")
            if tree is not None:
                _read_code(tree, found)
    for loop in root.xpath(".//bpmn:multiInstanceLoopCharacteristics", namespaces=NS):
        _read_loop(loop, found)
    for variable in root.xpath(".//spiffworkflow:messageVariable | .//spiffworkflow:variableName",
                               namespaces=NS):
        if (variable.text or "").strip():
            found.produced.add(variable.text.strip())
    for param in root.xpath(".//spiffworkflow:serviceTaskOperator//spiffworkflow:parameter",
                            namespaces=NS):
        tree = _parse(param.get("value") or "", "eval")
        if tree is not None:
            _read_code(tree, found)
    for result in root.xpath(".//spiffworkflow:serviceTaskOperator/@resultVariable",
                             namespaces=NS):
        found.produced.add(str(result))


def _text(element: Any, tag: str) -> str:
    child = element.find(f"{{{BPMN_NS}}}{tag}")
    return (child.text or "").strip() if child is not None else ""


def _read_loop(loop: Any, found: _Collected) -> None:
    collection = _text(loop, "loopDataInputRef")
    output = _text(loop, "loopDataOutputRef")
    item = loop.find(f"{{{BPMN_NS}}}inputDataItem")
    result = loop.find(f"{{{BPMN_NS}}}outputDataItem")
    item_name = (item.get("name") or item.get("id")) if item is not None else None
    result_name = (result.get("name") or result.get("id")) if result is not None else None
    if collection:
        found.reads.add(collection)
        found.exposed.add(collection)
    if item_name:
        found.produced.add(item_name)
        found.flow([item_name], [collection] if collection else [])
    if result_name:
        found.reads.add(result_name)  # each instance's result is collected from its data
        found.exposed.add(result_name)
    if output:
        found.produced.add(output)
        found.flow([output], [result_name] if result_name else [])


def _read_dmn(root: Any, found: _Collected) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = element.tag.rpartition("}")[2]
        if name == "output" and element.get("name"):
            found.produced.add(element.get("name"))
            found.decided.add(element.get("name"))
            if element.get("label"):
                found.decided_labels.setdefault(element.get("name"), element.get("label"))
        elif name == "inputExpression":
            texts = [c for c in element if isinstance(c.tag, str) and c.tag.endswith("}text")]
            tree = _parse(texts[0].text or "", "eval") if texts else None
            if tree is not None:
                _read_code(tree, found)


def _read_code(tree: ast.AST, found: _Collected) -> None:
    found.exposed |= _exposed(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (found.assigned if isinstance(node.ctx, ast.Store | ast.Del) else found.reads).add(
                node.id)
        elif isinstance(node, ast.arg):
            found.assigned.add(node.arg)
        if isinstance(node, ast.Assign):
            found.flow(_targets(node.targets), _sources(node.value))
        elif isinstance(node, ast.AugAssign | ast.AnnAssign) and node.value is not None:
            found.flow(_targets([node.target]), _sources(node.value))
        elif isinstance(node, ast.NamedExpr):
            found.flow(_targets([node.target]), _sources(node.value))
        elif isinstance(node, ast.For | ast.comprehension):
            found.flow(_targets([node.target]), _sources(node.iter))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in _MUTATORS:
            base = _base_name(node.func.value)
            if base is not None:
                args = [*node.args, *(k.value for k in node.keywords)]
                found.flow([base], (n for a in args for n in _sources(a)))


def _loads(node: ast.AST) -> set[str]:
    """Names NODE reads, less those its own comprehensions and lambdas bind."""
    loads: set[str] = set()
    local: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            (loads if isinstance(sub.ctx, ast.Load) else local).add(sub.id)
        elif isinstance(sub, ast.arg):
            local.add(sub.arg)
    return loads - local


def _exposed(tree: ast.AST) -> set[str]:
    """Names TREE reads before it sets them (statement by statement, in order)."""
    if isinstance(tree, ast.Expression):
        return _loads(tree.body)
    out: set[str] = set()
    _exposed_in(getattr(tree, "body", []), set(), out)
    return out


def _exposed_in(statements: list[ast.stmt], bound: set[str], out: set[str]) -> None:
    for st in statements:
        if isinstance(st, ast.Assign | ast.AnnAssign | ast.AugAssign):
            if st.value is not None:
                out |= _loads(st.value) - bound
            targets = st.targets if isinstance(st, ast.Assign) else [st.target]
            for target in targets:
                # a[k] = v and a += v read a; k is read too
                if isinstance(st, ast.AugAssign) or not isinstance(target, ast.Name):
                    out |= _loads(target) - bound
            bound |= _targets(targets)
        elif isinstance(st, ast.For):
            out |= _loads(st.iter) - bound
            bound |= _targets([st.target])
            _exposed_in(st.body, bound, out)
            _exposed_in(st.orelse, bound, out)
        elif isinstance(st, ast.If | ast.While):
            out |= _loads(st.test) - bound
            _exposed_in(st.body, bound, out)
            _exposed_in(st.orelse, bound, out)
        elif isinstance(st, ast.With | ast.Try):
            for block in ("body", "orelse", "finalbody"):
                _exposed_in(getattr(st, block, []), bound, out)
            for handler in getattr(st, "handlers", []):
                _exposed_in(handler.body, bound, out)
        else:
            out |= _loads(st) - bound


def _base_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Subscript | ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _targets(nodes: Iterable[ast.AST]) -> set[str]:
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Tuple | ast.List):
            out |= _targets(node.elts)
        elif isinstance(node, ast.Starred):
            out |= _targets([node.value])
        else:
            base = _base_name(node)
            if base is not None:
                out.add(base)
    return out


def _sources(node: ast.AST) -> set[str]:
    """Names whose value flows into NODE's value (keys and indexes only select)."""
    out: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name):
            out.add(current.id)
        elif isinstance(current, ast.Subscript):
            stack.append(current.value)
        elif isinstance(current, ast.Call):
            func = current.func
            args = list(current.args)
            if isinstance(func, ast.Attribute) and func.attr in ("get", "pop") and args:
                args = args[1:]  # the key selects; a default flows
            stack.extend(args)
            stack.extend(k.value for k in current.keywords)
            stack.append(func)
        else:
            stack.extend(ast.iter_child_nodes(current))
    return out


def warn_protected_fields(flow: DataFlow, metas: Mapping[str, ElementMeta],
                          files_of: Mapping[str, str], forms: Mapping[str, dict[str, Any]],
                          elements: Mapping[tuple[str, str], Any],
                          findings: Mapping[str, Any]) -> None:
    """Warn of every form field (and message variable) that would let a person change who
    works a later task, or that names a variable the engine sets."""
    by_name = {name.rpartition("/")[2]: form for name, form in forms.items()}
    for key, meta in metas.items():
        schema = meta.form_inline
        if meta.form_schema:
            schema = forms.get(meta.form_schema) or by_name.get(
                meta.form_schema.rpartition("/")[2])
        if not isinstance(schema, Mapping):
            continue
        filename = files_of.get(key, "")
        element = elements.get((filename, meta.id))
        report = findings.get(filename)
        if report is None:
            continue
        names = declared_names(schema)
        for name in sorted(names & ENGINE_OWNED):
            report.warn(element, f"form field {name!r} is set by the engine; a value "
                                 "submitted for it is refused")
        for name in sorted((names & flow.protected) - ENGINE_OWNED):
            report.warn(element, f"form field {name!r} decides who works a later task "
                                 "(a candidate or assignee expression reads it): whoever "
                                 "completes this task can change that")


def warn_protected_messages(flow: DataFlow, roots: Mapping[str, Any],
                            findings: Mapping[str, Any]) -> None:
    """Warn of a message that lands in a variable deciding who works a task: whoever may
    send it could then choose the people."""
    for filename, root in roots.items():
        report = findings.get(filename)
        for variable in root.xpath(".//spiffworkflow:messageVariable", namespaces=NS):
            name = (variable.text or "").strip()
            if report is not None and name in flow.protected:
                report.warn(variable, f"message variable {name!r} decides who works a later "
                                      "task: whoever sends the message can change that")
