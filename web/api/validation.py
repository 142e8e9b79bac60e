"""Read request bodies and query strings, naming every field that is wrong."""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from engine.casework.forms import check_storable
from engine.core.errors import FieldError, InvalidInput

_MISSING = object()
MAX_OFFSET = 10**9
# far beyond any form; deeper data makes the engine's copies and serialisers recurse too far
MAX_DEPTH = 64


def nesting_depth(value: Any) -> int:
    """How deeply VALUE nests arrays and objects (without recursing itself)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return deepest


def json_object(*, optional: bool = False) -> dict[str, Any]:
    """The request body as a JSON object; OPTIONAL lets an empty body stand for {}."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if optional:
            return {}
        raise InvalidInput("the request needs a JSON object body")
    if not request.is_json:
        raise UnsupportedMediaType("send the body as JSON with Content-Type: application/json")
    try:
        body = request.get_json(force=True)
    except BadRequest:
        raise BadRequest("the request body is not valid JSON") from None
    except RecursionError:
        raise BadRequest("the request body nests JSON too deeply") from None
    if nesting_depth(body) > MAX_DEPTH:
        raise InvalidInput(f"the request body nests more than {MAX_DEPTH} levels deep")
    if not isinstance(body, dict):
        raise InvalidInput("the request body must be a JSON object",
                           [FieldError("(body)", "must be an object")])
    # text no database column can hold is refused here, whatever the route stores
    check_storable(body, "the request body")
    return body


class Fields:
    """Typed reads from one JSON object or query string; finish with done()."""

    def __init__(self, source: Any, *, query: bool = False) -> None:
        self.source = source
        # query strings carry only text, so numbers and flags are parsed from it
        self.query = query
        self.errors: list[FieldError] = []
        self.seen: set[str] = set()

    def _get(self, name: str, required: bool) -> Any:
        self.seen.add(name)
        value = self.source.get(name, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.errors.append(FieldError(name, "is required"))
            return _MISSING
        return value

    def _wrong(self, name: str, message: str) -> None:
        self.errors.append(FieldError(name, message))

    def text(self, name: str, *, required: bool = False, default: str | None = None,
             choices: tuple[str, ...] = ()) -> str | None:
        """Read a string field, optionally one of CHOICES."""
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self._wrong(name, "must be a non-empty string" if required else "must be a string")
            return default
        if choices and value not in choices:
            self._wrong(name, f"must be one of {', '.join(choices)}")
            return default
        return value

    def mapping(self, name: str, *, required: bool = False) -> dict[str, Any] | None:
        """Read a JSON object field."""
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if not isinstance(value, dict):
            self._wrong(name, "must be a JSON object")
            return None
        return value

    def flag(self, name: str, *, default: bool = False) -> bool:
        """Read a boolean field."""
        value = self._get(name, False)
        if value is _MISSING:
            return default
        if self.query and isinstance(value, str):
            if value.lower() in ("1", "true", "yes"):
                return True
            if value.lower() in ("0", "false", "no"):
                return False
        if not isinstance(value, bool):
            self._wrong(name, "must be true or false")
            return default
        return value

    def integer(self, name: str, *, default: int | None = None, minimum: int | None = None,
                maximum: int | None = None, required: bool = False) -> int | None:
        """Read an integer field within MINIMUM and MAXIMUM."""
        value = self._get(name, required)
        if value is _MISSING:
            return default
        if self.query and isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                pass
        if not isinstance(value, int) or isinstance(value, bool):
            self._wrong(name, "must be an integer")
            return default
        if minimum is not None and value < minimum:
            self._wrong(name, f"must be at least {minimum}")
            return default
        if maximum is not None and value > maximum:
            self._wrong(name, f"must be at most {maximum}")
            return default
        return value

    def items(self, name: str, *, required: bool = False) -> list[Any] | None:
        """Read a JSON array field."""
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            self._wrong(name, "must be a JSON array")
            return None
        return value

    def done(self, *, allow_unknown: bool = False) -> None:
        """Raise one InvalidInput naming every wrong (and, unless allowed, unknown) field."""
        if not allow_unknown:
            for name in sorted(set(self.source) - self.seen):
                self._wrong(name, "is not a known field")
        if self.errors:
            names = ", ".join(e.path for e in self.errors)
            where = "query string" if self.query else "request body"
            raise InvalidInput(f"the {where} has errors in: {names}", self.errors)


def paging(fields: Fields, *, limit: int = 50, most: int = 200) -> tuple[int, int]:
    """Read limit and offset from query FIELDS."""
    size = fields.integer("limit", default=limit, minimum=1, maximum=most)
    start = fields.integer("offset", default=0, minimum=0, maximum=MAX_OFFSET)
    return size or limit, start or 0
