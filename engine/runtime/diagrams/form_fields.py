"""The field names a JSON Schema form declares, and the names in submitted data it does not.

Local references (``#/$defs/x``) are followed; combinators (allOf, anyOf, oneOf, if/then/
else, dependentSchemas) describe the same object, so their properties count as declared.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

_BRANCHES = ("allOf", "anyOf", "oneOf")
_CONDITIONAL = ("if", "then", "else")
MAX_REF_DEPTH = 16


def _resolve(root: Mapping[str, Any], schema: Any, depth: int = 0) -> Any:
    """SCHEMA with a local ``$ref`` (#/$defs/x, #/definitions/x) followed; others as they are."""
    while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str) \
            and schema["$ref"].startswith("#/") and depth < MAX_REF_DEPTH:
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or part not in target:
                return {}
            target = target[part]
        schema, depth = target, depth + 1
    return schema


def _parts(root: Mapping[str, Any], schema: Any, depth: int = 0) -> Iterator[Mapping[str, Any]]:
    """SCHEMA and every subschema that describes the same object (combinators, if/then)."""
    schema = _resolve(root, schema)
    if not isinstance(schema, Mapping) or depth > MAX_REF_DEPTH:
        return
    yield schema
    for key in _BRANCHES:
        for branch in schema.get(key) or []:
            yield from _parts(root, branch, depth + 1)
    for key in _CONDITIONAL:
        if key in schema:
            yield from _parts(root, schema[key], depth + 1)
    for branch in (schema.get("dependentSchemas") or {}).values():
        yield from _parts(root, branch, depth + 1)


def _properties(root: Mapping[str, Any], schema: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for part in _parts(root, schema):
        props = part.get("properties")
        if isinstance(props, Mapping):
            for name, sub in props.items():
                found.setdefault(str(name), []).append(sub)
    return found


def _is_map(root: Mapping[str, Any], schema: Any) -> bool:
    """Whether SCHEMA describes an object by the shape of its values, not by names."""
    return any(isinstance(p.get("additionalProperties"), Mapping) or p.get("patternProperties")
               for p in _parts(root, schema))


def declared_names(schema: Mapping[str, Any]) -> set[str]:
    """The top-level field names SCHEMA declares."""
    return set(_properties(schema, schema))


def undeclared(schema: Mapping[str, Any], data: Mapping[str, Any]) -> list[str]:
    """Paths in DATA (``a``, ``a/b``, ``a/0/c``) that SCHEMA does not declare."""
    out: list[str] = []
    stack: list[tuple[Any, Any, str, bool]] = [(schema, data, "", True)]
    while stack:
        sub, value, path, top = stack.pop()
        if isinstance(value, Mapping):
            props = _properties(schema, sub)
            closed = top or (bool(props) and not _is_map(schema, sub))
            for key, item in value.items():
                where = f"{path}/{key}".lstrip("/")
                if key in props:
                    stack.extend((s, item, where, False) for s in props[key])
                elif closed:
                    out.append(where)
        elif isinstance(value, list):
            items = [p.get("items") for p in _parts(schema, sub) if isinstance(p.get("items"),
                                                                                 Mapping)]
            for index, element in enumerate(value):
                stack.extend((s, element, f"{path}/{index}", False) for s in items)
    return sorted(set(out))
