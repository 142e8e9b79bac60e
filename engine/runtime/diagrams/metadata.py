"""Per-element facts the engine needs beside the parsed spec: forms, assignment, topics, lines."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema.exceptions import SchemaError
from jsonschema.validators import validator_for

from engine.runtime.diagrams.camunda import cattr, cext
from engine.runtime.diagrams.form_safety import problems as form_problems
from engine.runtime.diagrams.lint import Findings
from engine.runtime.diagrams.safe_xml import local_name

FORM_SCHEMA = "formJsonSchemaFilename"
FORM_UI_SCHEMA = "formUiSchemaFilename"
_FIELD_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "long": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "enum": {"type": "string"},
}
_CONSTRAINTS = {"minlength": "minLength", "maxlength": "maxLength",
                "min": "minimum", "max": "maximum"}


@dataclass
class ElementMeta:
    """What the engine needs to know about one BPMN element besides its task spec."""

    id: str
    process_id: str
    kind: str
    name: str | None = None
    lane: str | None = None
    documentation: str | None = None
    candidate_groups: list[str] = field(default_factory=list)
    candidate_users: list[str] = field(default_factory=list)
    assignee: str | None = None
    form_schema: str | None = None
    form_ui_schema: str | None = None
    form_inline: dict[str, Any] | None = None
    topic: str | None = None
    due: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    line: int | None = None


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _camunda_properties(element: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for block in cext(element, "properties"):
        for prop in block:
            if local_name(prop) == "property" and prop.get("name"):
                found[prop.get("name")] = prop.get("value") or ""
    return found


def element_meta(process_id: str, task_spec: Any, element: Any, findings: Findings) -> ElementMeta:
    """Build the metadata of one element from its parsed task spec and its XML."""
    extensions = getattr(task_spec, "extensions", None) or {}
    properties = dict(extensions.get("properties") or {})
    properties.update(_camunda_properties(element))
    if cattr(element, "formKey"):
        properties.setdefault("formKey", cattr(element, "formKey") or "")
    kind = "external" if cattr(element, "type") == "external" else local_name(element)
    return ElementMeta(
        id=element.get("id"),
        process_id=process_id,
        kind=kind,
        name=getattr(task_spec, "bpmn_name", None) or element.get("name"),
        lane=getattr(task_spec, "lane", None),
        documentation=getattr(task_spec, "documentation", None),
        candidate_groups=_split(cattr(element, "candidateGroups")),
        candidate_users=_split(cattr(element, "candidateUsers")),
        assignee=cattr(element, "assignee"),
        form_schema=properties.get(FORM_SCHEMA),
        form_ui_schema=properties.get(FORM_UI_SCHEMA),
        form_inline=form_schema_from_camunda(element, findings),
        topic=cattr(element, "topic"),
        due=cattr(element, "dueDate") or properties.get("due"),
        properties=properties,
        line=element.sourceline,
    )


def collect(specs: Iterable[tuple[str, Any]], elements: Mapping[tuple[str, str], Any],
            findings: Mapping[str, Findings]) -> tuple[dict[str, ElementMeta], dict[str, str]]:
    """Return metadata for every task spec with a BPMN element ('process:element' keys), and
    the file each element came from."""
    result: dict[str, ElementMeta] = {}
    files_of: dict[str, str] = {}
    for process_id, spec in specs:
        filename = getattr(spec, "file", None) or ""
        for task_spec in spec.task_specs.values():
            bpmn_id = getattr(task_spec, "bpmn_id", None)
            key = f"{process_id}:{bpmn_id}"
            element = elements.get((filename, bpmn_id or ""))
            # a multi-instance task is two specs; its extensions sit on the '[child]' one
            is_child = task_spec.name.endswith(" [child]")
            if bpmn_id is None or element is None or (key in result and not is_child):
                continue
            result[key] = element_meta(process_id, task_spec, element, findings[filename])
            files_of[key] = filename
    return result, files_of


def check_forms(metas: Mapping[str, ElementMeta], files_of: Mapping[str, str],
                forms: Mapping[str, Any], elements: Mapping[tuple[str, str], Any],
                findings: Mapping[str, Findings]) -> None:
    """Report form files that tasks reference but the bundle lacks or that are not schemas."""
    by_name = {name.rpartition("/")[2]: name for name in forms}
    for key, meta in metas.items():
        filename = files_of[key]
        element = elements[(filename, meta.id)]
        for reference, is_schema in ((meta.form_schema, True), (meta.form_ui_schema, False)):
            if not reference:
                continue
            found = reference if reference in forms else by_name.get(reference.rpartition("/")[2])
            if found is None:
                message = f"form {reference!r} is not in the bundle"
                # A bare diagram (no forms at all) still deploys with generic forms; a bundle
                # that ships forms but not this one has a typo or a missing file.
                (findings[filename].problem if forms else findings[filename].warn)(
                    element, message)
            elif is_schema:
                try:
                    validator_for(forms[found]).check_schema(forms[found])
                except SchemaError as exc:
                    findings[filename].problem(
                        element, f"form {found!r} is not a valid JSON Schema: {exc.message}")
                for why in form_problems(forms[found]):
                    findings[filename].problem(element, f"form {found!r}: {why}")


def form_schema_from_camunda(element: Any, findings: Findings) -> dict[str, Any] | None:
    """Build a JSON Schema from camunda:formData fields, or None when there are none."""
    fields = [f for block in cext(element, "formData") for f in block
              if local_name(f) == "formField"]
    if not fields:
        return None
    properties: dict[str, Any] = {}
    required: list[str] = []
    for form_field in fields:
        field_id = form_field.get("id")
        if not field_id:
            findings.problem(element, "camunda:formField without an id")
            continue
        schema, is_required = _field_schema(form_field, findings, element)
        properties[field_id] = schema
        if is_required:
            required.append(field_id)
    schema_doc: dict[str, Any] = {"type": "object", "properties": properties}
    if element.get("name"):
        schema_doc["title"] = element.get("name")
    if required:
        schema_doc["required"] = required
    return schema_doc


def _field_schema(form_field: Any, findings: Findings, element: Any) -> tuple[dict[str, Any], bool]:
    kind = form_field.get("type") or "string"
    if kind not in _FIELD_TYPES:
        findings.warn(element, f"form field {form_field.get('id')!r}: type {kind!r} is "
                               "treated as text")
    schema = dict(_FIELD_TYPES.get(kind, {"type": "string"}))
    if form_field.get("label"):
        schema["title"] = form_field.get("label")
    if kind == "enum":
        values = [v for v in form_field if local_name(v) == "value" and v.get("id")]
        schema["enum"] = [v.get("id") for v in values]
        schema["enumNames"] = [v.get("name") or v.get("id") for v in values]
    default = form_field.get("defaultValue")
    if default is not None and "${" not in default:
        schema["default"] = _typed(default, schema["type"])
    required = False
    for validation in form_field:
        if local_name(validation) != "validation":
            continue
        for constraint in validation:
            name = constraint.get("name") or ""
            if name == "required":
                required = True
            elif name == "readonly":
                schema["readOnly"] = True
            elif name in _CONSTRAINTS and constraint.get("config"):
                schema[_CONSTRAINTS[name]] = _typed(constraint.get("config"), "integer")
    return schema, required


def _typed(text: str, json_type: str) -> Any:
    if json_type == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    if json_type == "boolean":
        return text.strip().lower() == "true"
    return text
