"""Validate submitted task data against the task's JSON Schema."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, validators

from .diagrams import CompiledBundle
from .errors import FieldError, InvalidInput


def schema_for(bundle: CompiledBundle, ref: str | None) -> dict[str, Any] | None:
    """The schema a work item references: a bundle file, or an inline schema of an element."""
    if not ref:
        return None
    if ref.startswith("inline:"):
        element = ref.split(":", 1)[1]
        for meta in bundle.elements.values():
            if meta.id == element and meta.form_inline:
                return meta.form_inline
        return None
    return bundle.forms.get(ref)


def validate(schema: dict[str, Any] | None, data: Any) -> None:
    """Raise InvalidInput naming every field that does not satisfy SCHEMA."""
    if not isinstance(data, dict):
        raise InvalidInput("task data must be a JSON object")
    if schema is None:
        return
    cls = validators.validator_for(schema, default=Draft202012Validator)
    errors = sorted(cls(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    fields = []
    for err in errors:
        path = "/".join(str(p) for p in err.absolute_path)
        if err.validator == "required" and isinstance(err.instance, dict):
            missing = [r for r in err.validator_value if r not in err.instance]
            for name in missing:
                fields.append(FieldError(f"{path}/{name}".lstrip("/"), "is required"))
            continue
        fields.append(FieldError(path or "(form)", err.message))
    names = ", ".join(f.path for f in fields)
    raise InvalidInput(f"the form has errors in: {names}", fields)
