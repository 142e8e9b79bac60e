"""What each writer may write into a case: the fields its form declares, and nothing else.

A user task's form (its JSON Schema's ``properties``, or the Camunda formData fields the
loader turned into one) is its contract; a start event's is its start form, or for a
bundle with a guide the bundle's application form. A task or start event without any
form takes the variables the diagram reads and nothing in it sets (``DataFlow.free``).
Whatever the schema's ``additionalProperties`` says, a name outside the contract is
refused with 422 naming it, and so is a name the engine sets itself. Nested objects the
form describes with ``properties`` are closed the same way; an object described only by
``additionalProperties`` (a map from codes to values) takes any key its schema accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.casework import forms
from engine.core.errors import FieldError, InvalidInput
from engine.design import application_form, guides
from engine.models import WorkItem
from engine.runtime.diagrams import CompiledBundle
from engine.runtime.diagrams.dataflow import ENGINE_OWNED, DataFlow
from engine.runtime.diagrams.form_fields import declared_names, undeclared


@dataclass(frozen=True)
class Contract:
    """The names a writer may set; SCHEMA describes them when a form does."""

    names: frozenset[str]
    schema: dict[str, Any] | None
    source: str  # "form" or "diagram"


def for_form(schema: dict[str, Any] | None, flow: DataFlow) -> Contract:
    """The contract of a writer with form SCHEMA, or without one (None)."""
    if schema is None:
        return Contract(flow.free, None, "diagram")
    return Contract(frozenset(declared_names(schema)), schema, "form")


def check(contract: Contract, data: Mapping[str, Any], what: str = "the form") -> None:
    """Refuse DATA naming anything outside CONTRACT or set by the engine (422 per field)."""
    problems: list[FieldError] = []
    for key in data:
        if key in ENGINE_OWNED:
            problems.append(FieldError(str(key), "is set by the engine and cannot be submitted"))
    owned = {p.path for p in problems}
    if contract.schema is not None:
        paths = undeclared(contract.schema, data)
        reason = f"is not a field of {what}"
    else:
        paths = sorted(str(k) for k in data if k not in contract.names)
        reason = ("has no form here, so it takes only what the diagram reads: "
                  + (", ".join(sorted(contract.names)) or "nothing"))
        reason = f"is not read by the diagram ({what} {reason})"
    problems += [FieldError(p, reason) for p in paths if p not in owned]
    if problems:
        names = ", ".join(p.path for p in problems)
        raise InvalidInput(f"{what} does not take: {names}", problems)



def for_task(bundle: CompiledBundle, item: WorkItem) -> Contract:
    """The contract of a work item: its form, or without one the diagram's free variables."""
    return for_form(forms.schema_for(bundle, item.form_schema), bundle.dataflow)


def start_form(bundle: CompiledBundle, process_id: str,
               guide: guides.Guide | None) -> dict[str, Any] | None:
    """The start form of PROCESS_ID: its start event's form, else the guide's application."""
    for meta in bundle.elements.values():
        if meta.process_id == process_id and meta.kind == "startEvent" and (
                meta.form_schema or meta.form_inline):
            ref = meta.form_schema or f"inline:{meta.id}"
            return forms.schema_for(bundle, ref)
    if guide is not None:
        return application_form.application_schema(guide)
    return None


def check_start(bundle: CompiledBundle, process_id: str, guide: guides.Guide | None,
                data: Mapping[str, Any]) -> None:
    """Refuse start DATA outside the start contract, and declared values of the wrong shape.

    The fields a form requires are asked for by the channel that collects them (the
    portal's application, the window's desk); a case may start with some of them.
    """
    schema = start_form(bundle, process_id, guide)
    check(for_form(schema, bundle.dataflow), data, "the start form")
    if schema is not None:
        forms.validate(_optional(schema), dict(data))


def _optional(schema: Any) -> Any:
    """SCHEMA with no field required (a keyword 'required' holds a list; a property so
    named holds a schema)."""
    if isinstance(schema, list):
        return [_optional(s) for s in schema]
    if not isinstance(schema, Mapping):
        return schema
    return {k: _optional(v) for k, v in schema.items()
            if not (k == "required" and isinstance(v, list))}
