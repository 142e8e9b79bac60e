"""Deploy-time check of the templates in task names and instructions (engine.design.task_text).

A text that does not parse, or uses what the language refuses, stops the deployment and
names its element; a text that reads a variable nothing in the bundle provides (no form,
start form, script, decision or the engine sets it) is a warning: it would read
``（未填写）`` on every case.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from engine.core.errors import Problem
from engine.design import application_form
from engine.design.guides import GUIDE_FILE, load_guide
from engine.design.task_text import BLANK, check, is_template
from engine.runtime.diagrams import CompiledBundle, ElementMeta
from engine.runtime.diagrams.form_fields import declared_names

# names every task's data has, whatever the bundle says
ALWAYS_KNOWN = frozenset({"routing", "applicant_user", "applicant"})


def known_names(bundle: CompiledBundle) -> frozenset[str]:
    """Every variable some part of BUNDLE provides or reads."""
    flow = bundle.dataflow
    names = set(ALWAYS_KNOWN) | flow.mentioned | flow.assigned | flow.decided | flow.free
    for schema in bundle.forms.values():
        names |= declared_names(schema)
    for meta in bundle.elements.values():
        if meta.form_inline:
            names |= declared_names(meta.form_inline)
    if GUIDE_FILE in bundle.files:
        guide = load_guide(bundle.files)
        names |= declared_names(application_form.application_schema(guide))
    return frozenset(names)


def _file_of(bundle: CompiledBundle, element_id: str) -> str:
    needle = f'id="{element_id}"'.encode()
    for name, content in sorted(bundle.files.items()):
        if name.lower().endswith((".bpmn", ".xml")) and needle in content:
            return name
    return ""


def _texts(meta: ElementMeta) -> Iterator[tuple[str, str]]:
    if is_template(meta.name):
        yield "name", str(meta.name)
    if is_template(meta.documentation):
        yield "documentation", str(meta.documentation)


def check_bundle(bundle: CompiledBundle) -> tuple[list[Problem], list[Problem]]:
    """The problems (deployment stops) and warnings the task texts of BUNDLE give."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    known: frozenset[str] | None = None
    seen: set[str] = set()
    for meta in bundle.elements.values():
        for part, source in _texts(meta):
            if f"{meta.id}:{part}" in seen:
                continue
            seen.add(f"{meta.id}:{part}")
            found = check(source)
            where: Mapping[str, Any] = {"file": _file_of(bundle, meta.id), "line": meta.line,
                                        "element": meta.id}
            if found.error:
                problems.append(Problem(message=f"the task {part}: {found.error}", **where))
                continue
            known = known if known is not None else known_names(bundle)
            unknown = sorted(found.names - known)
            if unknown:
                warnings.append(Problem(message=(
                    f"the task {part} reads {', '.join(unknown)}, which no form, script "
                    f"or decision of this bundle provides; it will read '{BLANK}'"),
                    **where))
    return problems, warnings
