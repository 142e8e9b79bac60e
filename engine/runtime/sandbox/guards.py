"""Checks made before an allow-listed method runs: the size of what it builds, the work it does.

A method runs in C once called, so each one here is bounded first by what its
operands tell: the output it can build (replace, join, padding, format), the work
it can do (searches, scans, sorts), and the keys it would hash (sets and dicts,
which are filled through engine.runtime.sandbox.hashing instead).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from engine.core.errors import ScriptLimitExceeded
from engine.runtime.sandbox import hashing
from engine.runtime.sandbox.costs import (
    check_weight,
    member_units,
    search_units,
    sort_units,
    total_length,
)
from engine.runtime.sandbox.limits import SIZED, Budget
from engine.runtime.sandbox.operators import check_str_format

Method = Callable[..., Any]

_PADDING = frozenset({"center", "ljust", "rjust", "zfill"})
_STRIPS = frozenset({"strip", "lstrip", "rstrip"})
_SEARCHES = frozenset({
    "split", "rsplit", "count", "find", "rfind", "index", "rindex", "partition",
    "rpartition", "removeprefix", "removesuffix", "startswith", "endswith",
})
_SCANS = frozenset({"index", "count", "remove"})
_SET_ALGEBRA = frozenset({
    "union", "intersection", "difference", "symmetric_difference", "issubset",
    "issuperset", "isdisjoint",
})
# Parsing a date from a longer text is a mistake, and strptime's regexes are built in Python.
_DATE_TEXT = 1000


def stepping_key(kwargs: dict[str, Any], budget: Budget) -> dict[str, Any]:
    """Return KWARGS with its key= function counting a step per call (sorts call it in C)."""
    key = kwargs.get("key")
    if key is None or not callable(key):
        return kwargs

    def stepped(item: Any) -> Any:
        budget.step()
        return key(item)

    return {**kwargs, "key": stepped}


def call(value: object, name: str, func: Method, args: list[Any], kwargs: dict[str, Any],
         budget: Budget) -> Any:
    """Call VALUE.NAME(*ARGS, **KWARGS) once its cost is known to be within bounds."""
    kind = type(value)
    if kind is str:
        return _str_method(value, name, func, args, kwargs, budget)  # type: ignore[arg-type]
    if kind is list or kind is tuple:
        return _sequence_method(value, name, func, args, kwargs, budget)  # type: ignore[arg-type]
    if kind is dict:
        return _dict_method(value, name, func, args, kwargs, budget)  # type: ignore[arg-type]
    if kind is set:
        return _set_method(value, name, func, args, kwargs, budget)  # type: ignore[arg-type]
    if isinstance(value, type):
        _check_date_text(name, args)
    elif isinstance(value, date) and name == "strftime" and args and isinstance(args[0], str):
        # a directive prints a few characters; a width such as %99999Y prints nothing
        budget.check_size(len(args[0]) * 16)
    return func(*args, **kwargs)


def _str_method(value: str, name: str, func: Method, args: list[Any], kwargs: dict[str, Any],
                budget: Budget) -> Any:
    size = len(value)
    budget.charge(1 + (size >> 4))
    first: Any = args[0] if args else None
    if name in _PADDING:
        if isinstance(first, int):
            budget.check_size(first)
    elif name == "replace":
        _check_replace(value, args, budget)
    elif name == "join" and args:
        items = first if type(first) in (list, tuple) else list(first)
        budget.charge(len(items))
        budget.check_size(total_length(items) + size * max(len(items) - 1, 0))
        args = [items, *args[1:]]
    elif name == "format":
        check_str_format(value, tuple(args), kwargs, budget)
    elif name in _STRIPS:
        if type(first) is str:
            # each stripped character is looked up in the whole set of characters
            budget.check_work(1 + size * (1 + (len(first) >> 6)), f"str.{name}")
    elif name in _SEARCHES:
        if type(first) is str:
            budget.check_work(search_units(size, len(first)), f"str.{name}")
        elif type(first) is tuple:
            check_weight(budget, first, f"str.{name}")
    return func(*args, **kwargs)


def _check_replace(value: str, args: list[Any], budget: Budget) -> None:
    if len(args) < 2 or not all(isinstance(a, str) for a in args[:2]):
        return
    old, new = args[0], args[1]
    budget.check_work(search_units(len(value), len(old)), "str.replace")
    hits = len(value) + 1 if old == "" else value.count(old)
    if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
        hits = min(hits, args[2])
    budget.check_size(len(value) + hits * max(len(new) - len(old), 0))


def _sequence_method(value: list[Any] | tuple[Any, ...], name: str, func: Method,
                     args: list[Any], kwargs: dict[str, Any], budget: Budget) -> Any:
    cap = budget.limits.work
    if name in _SCANS and args:
        budget.check_work(member_units(args[0], value, cap), f"{type(value).__name__}.{name}")
    elif name == "sort":
        budget.check_work(sort_units(value, cap), "list.sort")
        kwargs = stepping_key(kwargs, budget)
    elif name == "extend" and args and isinstance(args[0], SIZED):
        budget.check_size(len(value) + len(args[0]))
        budget.charge(len(args[0]))
    else:
        budget.charge(1 + len(value))
    return func(*args, **kwargs)


def _dict_method(value: dict[Any, Any], name: str, func: Method, args: list[Any],
                 kwargs: dict[str, Any], budget: Budget) -> Any:
    if name in ("get", "pop") and args:
        hashing.lookup(args[0], budget)
    elif name == "setdefault" and args:
        hashing.admit(args[0], budget)
    elif name == "update":
        if isinstance(args[0] if args else None, SIZED):
            budget.check_size(len(value) + len(args[0]))
        hashing.update_dict(value, budget, *args, **kwargs)
        return None
    else:
        budget.charge(1 + len(value))
    return func(*args, **kwargs)


def _set_method(value: set[Any], name: str, func: Method, args: list[Any],
                kwargs: dict[str, Any], budget: Budget) -> Any:
    if name == "add" and args:
        hashing.admit(args[0], budget)
    elif name in ("remove", "discard") and args:
        hashing.lookup(args[0], budget)
    elif name == "update":
        if kwargs:
            raise TypeError("set.update() takes no keyword arguments")
        for items in args:
            if isinstance(items, SIZED):
                budget.check_size(len(value) + len(items))
            hashing.add_to_set(value, items, budget)
        return None
    elif name in _SET_ALGEBRA:
        budget.charge(1 + len(value))
        args = [hashing.set_operand(items, budget) for items in args]
    else:
        budget.charge(1 + len(value))
    return func(*args, **kwargs)


def _check_date_text(name: str, args: list[Any]) -> None:
    if name in ("strptime", "fromisoformat") and any(
            isinstance(a, str) and len(a) > _DATE_TEXT for a in args):
        raise ScriptLimitExceeded(f"{name}() text longer than {_DATE_TEXT} characters")
