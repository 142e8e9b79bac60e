"""Checklists that follow the case's situation: a form offers only the materials it needs.

A form marks a field whose choices are material codes with
``"x-onething-choices": "case-materials"`` (on an array of codes or on a single code).
When the work item is made, the codes the case's situation calls for are stored in the
item's properties under the same key; the page then offers only those, and completing
the task with any other code is refused, naming it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from engine.core.errors import FieldError, InvalidInput
from engine.models import WorkItem

MARKER = "x-onething-choices"
CASE_MATERIALS = "case-materials"


def marked_fields(schema: Mapping[str, Any] | None) -> list[str]:
    """The top-level fields of SCHEMA whose choices are the case's materials."""
    props = (schema or {}).get("properties")
    if not isinstance(props, Mapping):
        return []
    return [name for name, sub in props.items()
            if isinstance(sub, Mapping) and sub.get(MARKER) == CASE_MATERIALS]


def offered(schema: Mapping[str, Any] | None, needed: Iterable[str]) -> dict[str, list[str]]:
    """For each marked field of SCHEMA, the codes of NEEDED it offers (in the form's order)."""
    wanted = set(needed)
    out: dict[str, list[str]] = {}
    for name in marked_fields(schema):
        sub = (schema or {})["properties"][name]
        out[name] = [c for c in _codes(sub) if c in wanted]
    return out


def _choice_holder(sub: Mapping[str, Any]) -> Mapping[str, Any]:
    items = sub.get("items")
    return items if sub.get("type") == "array" and isinstance(items, Mapping) else sub


def _codes(sub: Mapping[str, Any]) -> list[str]:
    holder = _choice_holder(sub)
    if isinstance(holder.get("oneOf"), list):
        return [str(c["const"]) for c in holder["oneOf"]
                if isinstance(c, Mapping) and "const" in c]
    if isinstance(holder.get("enum"), list):
        return [str(c) for c in holder["enum"]]
    return []


def _stored(item: WorkItem) -> Mapping[str, Any]:
    found = (item.properties or {}).get(MARKER)
    return found if isinstance(found, Mapping) else {}


def narrow(schema: dict[str, Any] | None, item: WorkItem) -> dict[str, Any] | None:
    """SCHEMA with each marked field offering only the codes stored on ITEM."""
    stored = _stored(item)
    if schema is None or not stored:
        return schema
    out = copy.deepcopy(schema)
    for name in marked_fields(out):
        allowed = stored.get(name)
        if not isinstance(allowed, list):
            continue
        holder = _choice_holder(out["properties"][name])
        if isinstance(holder.get("oneOf"), list):
            kept = [c for c in holder["oneOf"] if isinstance(c, Mapping)
                    and str(c.get("const")) in allowed]
            if kept:  # an empty oneOf is no schema; check() still refuses every code
                holder["oneOf"] = kept  # type: ignore[index]
        elif isinstance(holder.get("enum"), list):
            kept = [c for c in holder["enum"] if str(c) in allowed]
            if kept:
                holder["enum"] = kept  # type: ignore[index]
    return out


def check(item: WorkItem, data: Mapping[str, Any]) -> None:
    """Refuse DATA naming, in a marked field, a material the case does not need."""
    bad: list[FieldError] = []
    for name, allowed in _stored(item).items():
        if not isinstance(allowed, list) or name not in data:
            continue
        given = data[name]
        values = given if isinstance(given, list) else [given]
        for index, value in enumerate(values):
            if isinstance(value, str) and value and value not in allowed:
                path = f"{name}/{index}" if isinstance(given, list) else name
                bad.append(FieldError(path, f"'{value}' is not a material this case needs",
                                      "enum", {"choices": list(allowed), "value": value}))
    if bad:
        codes = ", ".join(str(f.params["value"]) for f in bad)
        raise InvalidInput(f"not materials this case needs: {codes}", bad)
