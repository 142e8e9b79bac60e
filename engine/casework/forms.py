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
                                                 "be stored"))
                stack.append((item, depth + 1, where))
        elif isinstance(value, list):
            stack.extend((v, depth + 1, f"{path}/{i}") for i, v in enumerate(value))
        elif isinstance(value, str) and _unstorable(value):
            bad.append(FieldError(path or "(data)", "holds a character that cannot be stored "
                                                    "(a NUL or a lone surrogate)"))
        elif isinstance(value, float) and not math.isfinite(value):
            # NaN and infinities are no JSON: every reader downstream would choke on them
            bad.append(FieldError(path or "(data)", "must be a finite number"))
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
        path = "/".join(str(p) for p in err.absolute_path)
        if err.validator == "required" and isinstance(err.instance, dict):
            missing = [r for r in err.validator_value if r not in err.instance]
            for name in missing:
                fields.append(FieldError(f"{path}/{name}".lstrip("/"), "is required"))
            continue
        fields.append(FieldError(path or "(form)", err.message))
    names = ", ".join(f.path for f in fields)
    raise InvalidInput(f"the form has errors in: {names}", fields)
