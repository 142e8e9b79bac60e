"""Which value types scripts may use, which attributes and methods they expose, what is storable."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from engine.core.errors import ScriptLimitExceeded
from engine.runtime.sandbox import guards
from engine.runtime.sandbox.limits import Budget, Limits, measure

_DATE_METHODS = frozenset({
    "weekday", "isoweekday", "isoformat", "strftime", "replace", "toordinal", "isocalendar",
})

# Methods callable on instances, looked up along the value's MRO (bool finds int's).
METHODS: dict[type, frozenset[str]] = {
    str: frozenset({
        "lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "join",
        "startswith", "endswith", "replace", "format", "isdigit", "isalpha", "isalnum",
        "isnumeric", "isdecimal", "isspace", "islower", "isupper", "title", "capitalize",
        "casefold", "swapcase", "count", "find", "rfind", "index", "rindex", "partition",
        "rpartition", "zfill", "ljust", "rjust", "center", "removeprefix", "removesuffix",
    }),
    list: frozenset({
        "append", "extend", "insert", "pop", "remove", "index", "count", "sort", "reverse",
        "copy", "clear",
    }),
    dict: frozenset({
        "get", "keys", "values", "items", "update", "pop", "setdefault", "copy", "clear",
    }),
    tuple: frozenset({"index", "count"}),
    set: frozenset({
        "add", "remove", "discard", "pop", "clear", "copy", "union", "intersection",
        "difference", "symmetric_difference", "issubset", "issuperset", "isdisjoint", "update",
    }),
    int: frozenset({"bit_length"}),
    float: frozenset({"is_integer"}),
    Decimal: frozenset({"quantize", "normalize", "to_integral_value", "is_nan", "is_signed"}),
    datetime: _DATE_METHODS | {"date", "timestamp", "astimezone"},
    date: _DATE_METHODS,
    timedelta: frozenset({"total_seconds"}),
}

# Plain attributes readable on instances.
ATTRIBUTES: dict[type, frozenset[str]] = {
    datetime: frozenset({"year", "month", "day", "hour", "minute", "second", "microsecond"}),
    date: frozenset({"year", "month", "day"}),
    timedelta: frozenset({"days", "seconds", "microseconds"}),
}

# Attributes of the allow-listed classes themselves, e.g. datetime.now() or timezone.utc.
CLASS_ATTRIBUTES: dict[type, frozenset[str]] = {
    datetime: frozenset({"now", "today", "fromisoformat", "strptime", "combine", "min", "max"}),
    date: frozenset({"today", "fromisoformat", "min", "max"}),
    timedelta: frozenset({"min", "max"}),
    timezone: frozenset({"utc"}),
}

# Expressions (conditions, DMN cells, timers) must not change task data.
MUTATING = frozenset({
    "append", "extend", "insert", "pop", "remove", "sort", "reverse", "clear", "update",
    "setdefault", "add", "discard",
})

# Methods that return an existing object: charging its size would count it twice.
_NOT_ALLOCATING = frozenset({"get", "pop", "setdefault"})

ALL_ATTRIBUTE_NAMES = frozenset().union(
    *METHODS.values(), *ATTRIBUTES.values(), *CLASS_ATTRIBUTES.values())

SCALARS = (str, int, float, bool, type(None), Decimal, date, datetime, timedelta)
STORABLE = (*SCALARS, list, tuple, set, dict)


def _lookup(table: Mapping[type, frozenset[str]], value: object, name: str) -> bool:
    for cls in type(value).__mro__:
        if cls in table:
            return name in table[cls]
    return False


def read_attribute(value: object, name: str) -> tuple[bool, Any]:
    """Return (True, value.name) when scripts may read it, else (False, None)."""
    if isinstance(value, type):
        allowed = name in CLASS_ATTRIBUTES.get(value, frozenset())
    else:
        allowed = _lookup(ATTRIBUTES, value, name)
    return (True, getattr(value, name)) if allowed else (False, None)


def method(value: object, name: str) -> Callable[..., Any] | None:
    """Return the bound method VALUE.NAME when scripts may call it, else None."""
    if isinstance(value, type):
        allowed = name in CLASS_ATTRIBUTES.get(value, frozenset())
    else:
        allowed = _lookup(METHODS, value, name)
    return getattr(value, name) if allowed else None


def call_method(value: object, name: str, func: Callable[..., Any], args: list[Any],
                kwargs: dict[str, Any], budget: Budget) -> Any:
    """Call an allowed method after bounding what it could build and the work it does."""
    result = guards.call(value, name, func, args, kwargs, budget)
    if name not in _NOT_ALLOCATING:
        budget.allocate(result)
    if isinstance(result, Decimal):
        budget.check_decimal(result)
    return result


def to_task_data(values: dict[str, Any], functions: Mapping[str, object],
                 limits: Limits, budget: Budget | None = None) -> dict[str, Any]:
    """Return the script's variables that may be stored as task data; raise if one cannot be."""
    stored: dict[str, Any] = {}
    for key, value in values.items():
        if callable(value) and any(value is f for f in functions.values()):
            continue  # like SpiffWorkflow, functions never land in task data
        _check_storable(key, value, limits, budget)
        stored[key] = value
    if measure(stored, limits.allocation) > limits.allocation:
        raise ScriptLimitExceeded(f"task data would exceed {limits.allocation} elements")
    return stored


_FLAT = frozenset(SCALARS)


def _check_storable(key: str, value: object, limits: Limits, budget: Budget | None) -> None:
    # a container reached again (aliasing) is walked again only if reached deeper
    depths: dict[int, int] = {}
    stack: list[tuple[object, int]] = [(value, 0)]
    seen = 0
    while stack:
        item, depth = stack.pop()
        if depth > limits.data_depth or seen > limits.allocation:
            raise ScriptLimitExceeded(f"value of '{key}' is nested too deeply or too large")
        if not isinstance(item, STORABLE):
            raise TypeError(
                f"cannot store a value of type '{type(item).__name__}' in task data ('{key}')")
        if not isinstance(item, (dict, list, tuple, set)) or depths.get(id(item), -1) >= depth:
            continue
        depths[id(item)] = depth
        seen += len(item)
        if budget is not None:
            budget.charge(len(item))
        items = (*item.keys(), *item.values()) if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in items if type(child) not in _FLAT)
