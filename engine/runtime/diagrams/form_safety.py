"""What a form's JSON Schema may ask of the server: references only inside the form itself
(never a URL or a file), and regular expressions a linear-time engine (RE2) runs, so that
no applicant's input can make a check take exponential time."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is reported to the designer, not to stderr


@lru_cache(maxsize=4096)
def compiled(pattern: str) -> Any:
    """PATTERN compiled by RE2 (raises re2.error for what RE2 does not support)."""
    return re2.compile(pattern, _OPTIONS)


def _nodes(schema: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    stack: list[tuple[str, Any]] = [("", schema)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            yield path, node
            stack.extend((f"{path}/{k}", v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((f"{path}/{i}", v) for i, v in enumerate(node))


def problems(schema: Any) -> list[str]:
    """Why SCHEMA may not be deployed: external references, unsupported patterns."""
    found: list[str] = []
    for path, node in _nodes(schema):
        where = path or "/"
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            found.append(f"{where}: $ref {ref!r} points outside the form (only '#/...' "
                         "references inside it are followed)")
        for key in ("$dynamicRef", "$recursiveRef"):
            if isinstance(node.get(key), str) and not node[key].startswith("#"):
                found.append(f"{where}: {key} {node[key]!r} points outside the form")
        patterns = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        if isinstance(node.get("patternProperties"), dict):
            patterns += [p for p in node["patternProperties"] if isinstance(p, str)]
        for pattern in patterns:
            try:
                compiled(pattern)
            except re2.error:
                found.append(f"{where}: pattern {pattern!r} is not supported: only "
                             "linear-time regular expressions (no back-references or "
                             "look-around)")
    return sorted(found)
