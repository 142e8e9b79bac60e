"""Deploy-time checks that every Python expression and script in a diagram parses."""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.spiff.parser.process import VALIDATOR

from engine.core.errors import OnethingError, Problem
from engine.runtime.diagrams.flavour import BPMN_NS, SPIFF_NS
from engine.runtime.diagrams.safe_xml import local_name, owner_element
from engine.runtime.sandbox.builtins import BUILTINS
from engine.runtime.sandbox.checker import check as sandbox_check
from engine.runtime.sandbox.limits import Limits
from engine.runtime.sandbox.timers import literal_problem

NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
PYTHON_LANGUAGES = frozenset({"", "python", "text/x-python", "python3", "text/python"})
_MAX_SCHEMA_ERRORS = 20
# which literal timer values are held to the floor (engine/runtime/sandbox/timers.py)
_TIMER_KINDS = {"timeCycle": "cycle", "timeDuration": "duration"}
_NAMESPACE = re.compile(r"\{http://www\.omg\.org/spec/(BPMN|DMN)/[^}]*\}")
_DMN_PLACEHOLDER = re.compile(r"""(\?)(?=(?:[^'"]|['"][^'"]*['"])*$)""")
# Expressions: (xpath from the root, parse mode). Scripts use 'exec', everything else 'eval'.
_BPMN_TEXTS = (
    (".//bpmn:sequenceFlow/bpmn:conditionExpression", "eval", "condition"),
    (".//bpmn:conditionalEventDefinition/bpmn:condition", "eval", "condition"),
    (".//bpmn:timeDuration", "eval", "timer"),
    (".//bpmn:timeDate", "eval", "timer"),
    (".//bpmn:timeCycle", "eval", "timer"),
    (".//bpmn:loopCardinality", "eval", "loop cardinality"),
    (".//bpmn:multiInstanceLoopCharacteristics/bpmn:completionCondition", "eval",
     "completion condition"),
    (".//bpmn:standardLoopCharacteristics/bpmn:loopCondition", "eval", "loop condition"),
    (".//bpmn:extensionElements/spiffworkflow:preScript", "exec", "pre-script"),
    (".//bpmn:extensionElements/spiffworkflow:postScript", "exec", "post-script"),
)


@dataclass
class Findings:
    """Problems (block deployment) and warnings (reported only) found in one file."""

    filename: str
    refuse_unsafe: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def problem(self, element: Any, message: str) -> None:
        """Record a blocking problem at an element (or its owning flow element)."""
        self.problems.append(self._at(element, message))

    def warn(self, element: Any, message: str) -> None:
        """Record a warning at an element."""
        self.warnings.append(self._at(element, message))

    def unsafe(self, element: Any, message: str) -> None:
        """Record a sandbox-forbidden construct: a warning unless refusing them outright."""
        # The sandbox refuses these at run time anyway ("contained"); deploy may refuse earlier.
        (self.problem if self.refuse_unsafe else self.warn)(element, message)

    def _at(self, element: Any, message: str) -> Problem:
        if element is None:
            return Problem(self.filename, message)
        owner = owner_element(element)
        line = owner.sourceline if owner.sourceline else element.sourceline
        return Problem(self.filename, message, line=line or None, element=owner.get("id"))


def forbidden(tree: ast.AST, mode: str) -> str | None:
    """Return why parsed code would be refused by the sandbox at run time, or None."""
    try:
        sandbox_check(tree, "exec" if mode == "exec" else "eval", Limits(), BUILTINS)
    except OnethingError as exc:
        return exc.message
    return None


def check_python(text: str, mode: str) -> tuple[str | None, str | None]:
    """Parse text as Python; return (syntax error, forbidden construct), each None if fine."""
    source = text.strip() if mode == "eval" else text
    if mode == "exec":
        # Scripts are often indented as a block inside the XML element.
        source = _dedent(source)
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        where = f" (line {exc.lineno} of the text)" if mode == "exec" and exc.lineno else ""
        hint = ""
        if source.startswith("="):
            hint = "; this looks like FEEL (Camunda 8), which is not supported"
        return f"{exc.msg}{where}{hint}", None
    return None, forbidden(tree, mode)


def _dedent(source: str) -> str:
    return textwrap.dedent(source.strip("\n"))


def _report(findings: Findings, element: Any, what: str, text: str, mode: str) -> None:
    error, unsafe = check_python(text, mode)
    if error is not None:
        findings.problem(element, f"{what} is not valid Python: {error}: {text.strip()!r}")
    elif unsafe is not None:
        findings.unsafe(element, f"{what} will be refused by the sandbox: {unsafe}")


def lint_bpmn(root: Any, findings: Findings) -> None:
    """Check every condition, script, timer, loop and service expression of a BPMN tree."""
    for xpath, mode, what in _BPMN_TEXTS:
        for element in root.xpath(xpath, namespaces=NS):
            text = element.text or ""
            if not text.strip():
                if what != "pre-script" and what != "post-script":
                    findings.problem(element, f"{what} is empty")
                continue
            if what == "condition" and not _python_language(element, findings, what):
                continue
            _report(findings, element, what, text, mode)
            if what == "timer":
                _lint_timer(element, text, findings)
    for task in root.xpath(".//bpmn:scriptTask", namespaces=NS):
        _lint_script_task(task, findings)
    for param in root.xpath(".//spiffworkflow:serviceTaskOperator//spiffworkflow:parameter",
                            namespaces=NS):
        value = param.get("value")
        if value is not None:
            _report(findings, param, f"service parameter {param.get('id')!r}", value, "eval")


def _lint_timer(element: Any, text: str, findings: Findings) -> None:
    # a cycle repeating faster than the floor would keep the engine busy for ever
    kind = _TIMER_KINDS.get(local_name(element))
    problem = literal_problem(text, kind) if kind is not None else None
    if problem is not None:
        findings.problem(element, problem)


def _python_language(element: Any, findings: Findings, what: str) -> bool:
    language = (element.get("language") or "").strip()
    if language.lower() in PYTHON_LANGUAGES or language.lower() in ("juel", "el"):
        return True
    findings.problem(element, f"{what} language {language!r} is not supported (only Python)")
    return False


def _lint_script_task(task: Any, findings: Findings) -> None:
    language = (task.get("scriptFormat") or "").strip()
    if language.lower() not in PYTHON_LANGUAGES:
        findings.problem(task, f"script language {language!r} is not supported (only Python)")
        return
    scripts = [child for child in task if local_name(child) == "script"]
    if not scripts or not (scripts[0].text or "").strip():
        findings.problem(task, "script task has no script")
        return
    _report(findings, task, "script", scripts[0].text, "exec")


def lint_dmn(root: Any, findings: Findings) -> None:
    """Check DMN input expressions and rule cells the way SpiffWorkflow's DMN engine reads them."""
    for element in root.iter():
        name = local_name(element)
        if name not in ("inputExpression", "inputEntry", "outputEntry"):
            continue
        text_nodes = [child for child in element if local_name(child) == "text"]
        text = (text_nodes[0].text or "").strip() if text_nodes else ""
        if not text or (name == "inputEntry" and text == "-"):
            continue
        if name == "inputEntry":
            _lint_dmn_cell(element, text, findings)
        else:
            what = "input expression" if name == "inputExpression" else "output cell"
            _report(findings, element, f"DMN {what}", text, "eval")


def _lint_dmn_cell(element: Any, text: str, findings: Findings) -> None:
    # DMNEngine.needs_eq: a cell is either a whole expression compared with ==,
    # or an operator tail ('< 200') appended to the input; '?' stands for the input.
    cell = _DMN_PLACEHOLDER.sub("dmninputexpr", text)
    for candidate in (cell, f"v {cell}"):
        error, unsafe = check_python(candidate, "eval")
        if error is None:
            if unsafe is not None:
                findings.unsafe(element, f"DMN cell will be refused by the sandbox: {unsafe}")
            return
    error, _ = check_python(cell, "eval")
    findings.problem(element, f"DMN cell is not valid Python: {error}: {text!r}")


_REFERENCES = (
    (".//bpmn:sequenceFlow", ("sourceRef", "targetRef")),
    (".//bpmn:boundaryEvent", ("attachedToRef",)),
    (".//bpmn:exclusiveGateway | .//bpmn:inclusiveGateway | .//bpmn:complexGateway",
     ("default",)),
    (".//bpmn:errorEventDefinition", ("errorRef",)),
    (".//bpmn:messageEventDefinition", ("messageRef",)),
    (".//bpmn:signalEventDefinition", ("signalRef",)),
    (".//bpmn:escalationEventDefinition", ("escalationRef",)),
)


def check_references(root: Any, findings: Findings) -> None:
    """Report references to ids the file does not define (the parser crashes on some)."""
    known = {element.get("id") for element in root.iter() if isinstance(element.tag, str)}
    for xpath, attributes in _REFERENCES:
        for element in root.xpath(xpath, namespaces=NS):
            for attribute in attributes:
                value = element.get(attribute)
                # References are QNames; a prefix names the definitions, not the element.
                if value and value.rpartition(":")[2] not in known:
                    findings.problem(element, f"{attribute} refers to unknown element {value!r}")


def short_tags(message: str) -> str:
    """Write {namespace}tag names in a message as bpmn:tag / dmn:tag."""
    return _NAMESPACE.sub(lambda m: m.group(1).lower() + ":", message)


def schema_problems(name: str, tree: Any) -> list[Problem]:
    """Validate a BPMN tree against the parser's XSD, returning every error found."""
    # Run the same XSD the parser uses, but keep every error rather than only the last one.
    VALIDATOR.preprocess(tree)
    schema = VALIDATOR.validator
    if schema.validate(tree):
        return []
    errors = list(schema.error_log)
    found = [Problem(name, "does not match the BPMN schema: " + short_tags(e.message),
                     line=e.line or None) for e in errors[:_MAX_SCHEMA_ERRORS]]
    if len(errors) > _MAX_SCHEMA_ERRORS:
        more = len(errors) - _MAX_SCHEMA_ERRORS
        found.append(Problem(name, f"... and {more} more schema errors"))
    return found
