"""Validate submitted task data against the task's JSON Schema."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import re2
from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry
from referencing.exceptions import Unresolvable

from engine.core.errors import Conflict, FieldError, InvalidInput
from engine.runtime.diagrams import CompiledBundle
from engine.runtime.diagrams.form_safety import compiled


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


_VALIDATORS: dict[int, tuple[dict[str, Any], Any]] = {}


# only the form itself resolves: an empty registry retrieves nothing, where jsonschema's
# default would fetch a URL (deploy refuses such references too)
_REGISTRY: Registry[Any] = Registry()


def _re2_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    """The keyword 'pattern' on a linear-time engine (RE2): no input can make it slow."""
    if validator.is_type(instance, "string") and not compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _re2_pattern_properties(validator: Any, patterns: dict[str, Any], instance: Any,
                            schema: Any) -> Iterator[Any]:
    """The keyword 'patternProperties', matching names with RE2."""
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for name, value in instance.items():
            if compiled(pattern).search(name):
                yield from validator.descend(value, subschema, path=name,
                                             schema_path=pattern)


def _validator(schema: dict[str, Any]) -> Any:
    # schemas live as long as their compiled bundle; keep the schema so its id stays valid
    cached = _VALIDATORS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    base = validators.validator_for(schema, default=Draft202012Validator)
    cls = validators.extend(base, {"pattern": _re2_pattern,
                                   "patternProperties": _re2_pattern_properties})
    validator = cls(schema, registry=_REGISTRY)
    if len(_VALIDATORS) > 1000:
        _VALIDATORS.clear()
    _VALIDATORS[id(schema)] = (schema, validator)
    return validator


MAX_DEPTH = 32
MAX_DATA_BYTES = 1_000_000


def _unstorable(text: str) -> bool:
    """A NUL or a lone surrogate: no database text column (nor UTF-8) can hold it."""
    return "\x00" in text or any("\ud800" <= c <= "\udfff" for c in text)


def check_storable(data: Any, what: str = "data") -> None:
    """Refuse DATA holding text no database can store (a NUL character, a lone surrogate)
    or a number JSON cannot carry (NaN, an infinity)."""
    _walk(data, what)


def check_data(data: Any, what: str = "data") -> None:
    """Refuse data that is not a JSON object, nests too deep, is too large, or holds text no
    database can store (a NUL character, a lone surrogate)."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{what} must be a JSON object")
    _walk(data, what)
    if len(json.dumps(data, default=str)) > MAX_DATA_BYTES:
        raise InvalidInput(f"{what} is larger than {MAX_DATA_BYTES} bytes")


def _walk(data: Any, what: str) -> None:
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    bad: list[FieldError] = []
    while stack:
        value, depth, path = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidInput(f"{what} nests deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}/{key}".lstrip("/")
                if isinstance(key, str) and _unstorable(key):
                    shown = where.encode("utf-8", "backslashreplace").decode().replace(
                        "\x00", "\\0")
                    bad.append(FieldError(shown, "the name holds a character that cannot "
                                                 "be stored", "unstorable"))
                stack.append((item, depth + 1, where))
        elif isinstance(value, list):
            stack.extend((v, depth + 1, f"{path}/{i}") for i, v in enumerate(value))
        elif isinstance(value, str) and _unstorable(value):
            bad.append(FieldError(path or "(data)", "holds a character that cannot be stored "
                                                    "(a NUL or a lone surrogate)",
                                  "unstorable"))
        elif isinstance(value, float) and not math.isfinite(value):
            # NaN and infinities are no JSON: every reader downstream would choke on them
            bad.append(FieldError(path or "(data)", "must be a finite number", "finite"))
    if bad:
        raise InvalidInput(f"{what} holds values that cannot be stored", sorted(
            bad, key=lambda f: f.path))


def validate(schema: dict[str, Any] | None, data: Any) -> None:
    """Raise InvalidInput naming every field that does not satisfy SCHEMA."""
    check_data(data, "task data")
    if schema is None:
        return
    try:
        errors = sorted(_validator(schema).iter_errors(data),
                        key=lambda e: list(e.absolute_path))
    except (re2.error, Unresolvable) as exc:
        # a version deployed before the deploy checks refused such forms
        raise Conflict(f"this form cannot be checked (it names a pattern or reference "
                       f"the server does not follow): {exc}") from None
    if not errors:
        return
    fields = []
    for err in errors:
        fields.extend(field_errors(err))
    names = ", ".join(f.path for f in fields)
    raise InvalidInput(f"the form has errors in: {names}", fields)


# the keywords whose value is the limit a page names ("at least 5 characters")
_LIMITS = ("minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
           "exclusiveMaximum", "minItems", "maxItems", "minProperties", "maxProperties",
           "multipleOf")


def _described(schema: Any) -> dict[str, Any]:
    """The title and description (the hint a page shows) of a (sub)schema."""
    if not isinstance(schema, dict):
        return {}
    return {name: str(schema[key]) for key, name in (("title", "title"),
                                                      ("description", "hint"))
            if isinstance(schema.get(key), str)}


def field_errors(err: ValidationError) -> list[FieldError]:
    """The field errors one jsonschema error stands for, each with its keyword as KIND and
    the keyword's parameters, so a page can say it in its language (never the regex)."""
    path = "/".join(str(p) for p in err.absolute_path)
    kind = str(err.validator)
    schema = err.schema if isinstance(err.schema, dict) else {}
    if kind == "required" and isinstance(err.instance, dict):
        props = schema.get("properties") or {}
        return [FieldError(f"{path}/{name}".lstrip("/"), "is required", "required",
                           _described(props.get(name)))
                for name in err.validator_value if name not in err.instance]
    params = _described(schema)
    value = err.validator_value
    if kind in _LIMITS:
        params["limit"] = value
    elif kind == "type":
        params["expected"] = value
    elif kind == "format":
        params["format"] = value
    elif kind == "pattern":
        params["pattern"] = value
    elif kind == "enum" and isinstance(value, list):
        params["choices"] = value
    elif kind == "const":
        params["value"] = value
    elif kind == "additionalProperties" and isinstance(err.instance, dict):
        known = schema.get("properties") or {}
        params["names"] = sorted(str(k) for k in err.instance if k not in known)
    return [FieldError(path or "(form)", err.message, kind, params)]
