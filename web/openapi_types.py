"""Building blocks of the OpenAPI document's schemas, shared by every schema module."""

from __future__ import annotations

from typing import Any

STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
OBJ = {"type": "object", "additionalProperties": True}
TIME = {"type": "string", "format": "date-time"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """SCHEMA or null."""
    return {"oneOf": [schema, {"type": "null"}]}


def ref(name: str) -> dict[str, str]:
    """A reference to a named component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def obj(props: dict[str, Any], required: tuple[str, ...] = (), *, closed: bool = True,
        description: str | None = None) -> dict[str, Any]:
    """An object schema with PROPS; closed unless told otherwise."""
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema
