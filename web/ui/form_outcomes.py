"""Which fields of a form belong to which outcome, read from the form's own conditions.

A decision form says in JSON Schema that a refusal needs a reason (``allOf`` of
``if: {properties: {decision: {const: "refuse"}}}`` / ``then: {required:
["refuse_reason"]}``). The page shows a field only while an outcome that asks for it is
chosen, so a reviewer who approves sees the certificate number and not the refusal
reason; fields no condition names are always shown. Without scripts every field shows,
and the server checks the same schema either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# field -> the (switch field, values) pairs under which it is asked for
Outcomes = dict[str, list[tuple[str, list[Any]]]]


def _switch(condition: Any) -> tuple[str, list[Any]] | None:
    """The one field and the values an ``if`` tests, or None for anything else."""
    if not isinstance(condition, Mapping):
        return None
    props = condition.get("properties")
    if not isinstance(props, Mapping) or len(props) != 1:
        return None
    (name, test), = props.items()
    if not isinstance(test, Mapping):
        return None
    if "const" in test:
        return str(name), [test["const"]]
    values = test.get("enum")
    if isinstance(values, list) and values:
        return str(name), list(values)
    return None


def _named(then: Any) -> list[str]:
    if not isinstance(then, Mapping):
        return []
    names = [n for n in then.get("required") or [] if isinstance(n, str)]
    props = then.get("properties")
    if isinstance(props, Mapping):
        names += [str(n) for n in props if n not in names]
    return names


def outcomes(schema: Mapping[str, Any] | None) -> Outcomes:
    """For each field a condition of SCHEMA's top level asks for, the outcomes that do."""
    out: Outcomes = {}
    if not isinstance(schema, Mapping):
        return out
    branches = list(schema.get("allOf") or [])
    if "if" in schema:
        branches.append(schema)
    for branch in branches:
        if not isinstance(branch, Mapping):
            continue
        switch = _switch(branch.get("if"))
        if switch is None:
            continue
        for name in _named(branch.get("then")):
            if name != switch[0]:
                out.setdefault(name, []).append(switch)
    return out
