"""Sets and dicts built by scripts: keys whose hashes cannot be made to collide, added one by one.

CPython hashes ints, floats and Decimals by value modulo 2**61-1, so 0, M, 2*M ...
(M = 2**61-1) all hash alike and a set of N of them costs N**2/2 comparisons inside
one C call, out of reach of the step counter and the clock. Two rules close that:

- numbers used as keys must lie within +/-(2**61-2), where each has its own hash;
  a fractional Decimal also needs few digits (below, at most 29 can share a hash);
- inside a tuple key every number must be whole and within +/-2**31: a tuple's hash
  mixes its items' hashes in a way that can be solved for the last item, so only
  small items keep an attacker from computing thousands of colliding tuples.

Strings (and dates) hash with the per-process random key and need no rule. Keys are
admitted and inserted one at a time from here, so the budget's clock runs as a big
set is built. Sets and dicts that already exist hold admitted keys and are trusted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from engine.core.errors import ScriptLimitExceeded
from engine.runtime.sandbox.costs import weigh
from engine.runtime.sandbox.limits import Budget

SAFE_NUMBER = 2**61 - 2
TUPLE_NUMBER = 2**31
# A fractional Decimal key: at most this many significant digits and decimal places.
_DECIMAL_DIGITS = 18
_DECIMAL_PLACES = 28
# Containers whose keys were admitted when they were built (or come from the host).
TRUSTED = (set, frozenset, dict)
_BATCH = 1024


def _refuse(key: object, why: str) -> ScriptLimitExceeded:
    # never print a key whole: a tuple of shared parts can expand to billions
    if isinstance(key, tuple):
        shown = f"(a tuple of {len(key)} items)"
    else:
        text = repr(key[:40] if isinstance(key, str) else key)
        shown = text if len(text) <= 40 else text[:37] + "..."
    return ScriptLimitExceeded(f"set element or dict key {shown} is not allowed: {why}")


def _number_problem(key: object) -> str | None:
    if isinstance(key, (int, float, Decimal)):
        if isinstance(key, Decimal) and not key.is_finite() or key != key:
            return "NaN and infinite Decimals cannot be keys"
        if not -SAFE_NUMBER <= key <= SAFE_NUMBER:
            return "numbers beyond +/-(2**61-2) hash alike and would stall the set"
    if isinstance(key, Decimal) and not _short_decimal(key):
        return (f"a fractional Decimal key may have at most {_DECIMAL_DIGITS} digits and "
                f"{_DECIMAL_PLACES} decimal places, or many of them hash alike")
    return None


def _short_decimal(key: Decimal) -> bool:
    _sign, digits, exponent = key.as_tuple()
    assert isinstance(exponent, int)
    zeros = 0
    while zeros < len(digits) and digits[-1 - zeros] == 0:
        zeros += 1
    if exponent + zeros >= 0:
        return True  # whole: it hashes like the int it equals
    return len(digits) - zeros <= _DECIMAL_DIGITS and exponent + zeros >= -_DECIMAL_PLACES


def _lane_ok(leaf: object) -> bool:
    if isinstance(leaf, Decimal) and not leaf.is_finite():
        return False
    if isinstance(leaf, (int, float, Decimal)):
        return -TUPLE_NUMBER <= leaf <= TUPLE_NUMBER and leaf == int(leaf)
    return True


def _admit_tuple(key: tuple[Any, ...], budget: Budget) -> None:
    seen = 0
    stack: list[tuple[Any, ...]] = [key]
    while stack:
        item = stack.pop()
        seen += len(item)
        if seen > budget.limits.size:
            raise _refuse(key, f"it holds more than {budget.limits.size} elements")
        for leaf in item:
            if type(leaf) is str:
                seen += len(leaf) >> 4
            elif isinstance(leaf, tuple):
                stack.append(leaf)
            elif not _lane_ok(leaf):
                raise _refuse(key, f"numbers inside a tuple key must be whole and within "
                                   f"+/-2**31 (found {leaf!r}), or its hash can be steered")
    budget.charge(seen)


def admit(key: object, budget: Budget) -> None:
    """Refuse a key that could be made to collide with others; charge hashing it."""
    kind = type(key)
    if kind is str:
        budget.charge(1 + (len(key) >> 4))  # type: ignore[arg-type]
    elif kind is tuple:
        _admit_tuple(key, budget)  # type: ignore[arg-type]
    else:
        problem = _number_problem(key)
        if problem is not None:
            raise _refuse(key, problem)


def lookup(key: object, budget: Budget) -> None:
    """Charge hashing KEY to look it up (tuples are hashed afresh each time)."""
    if type(key) is tuple:
        units = weigh(key, budget.limits.work)
        budget.check_work(units, "hashing this tuple")


def build_set(items: Iterable[Any], budget: Budget) -> set[Any]:
    """Return set(ITEMS), admitting each element and checking the clock as it grows."""
    if type(items) in TRUSTED:
        budget.charge(len(items))  # type: ignore[arg-type]
        return set(items)
    result: set[Any] = set()
    add_to_set(result, items, budget)
    return result


def add_to_set(target: set[Any], items: Iterable[Any], budget: Budget) -> None:
    """Add ITEMS to TARGET one by one, as set.update would."""
    if type(items) in TRUSTED:
        budget.charge(len(items))  # type: ignore[arg-type]
        target.update(items)
        return
    add = target.add
    count = 0
    for item in items:
        if type(item) is not str:
            admit(item, budget)
        add(item)
        count += 1
        if count & (_BATCH - 1) == 0:
            budget.charge(_BATCH)
            budget.check_size(len(target))
    budget.charge(count & (_BATCH - 1))


def set_operand(value: Any, budget: Budget) -> Any:
    """Return VALUE as a set of admitted keys for a set operation, or unchanged if trusted."""
    if isinstance(value, (set, frozenset)):
        budget.charge(len(value))
        return value
    return build_set(value, budget)


def build_dict(budget: Budget, *args: Any, **kwargs: Any) -> dict[Any, Any]:
    """Return dict(*ARGS, **KWARGS), admitting each key."""
    result: dict[Any, Any] = {}
    update_dict(result, budget, *args, **kwargs)
    return result


def update_dict(target: dict[Any, Any], budget: Budget, *args: Any, **kwargs: Any) -> None:
    """Do target.update(*ARGS, **KWARGS) one key at a time."""
    if len(args) > 1:
        raise TypeError(f"update expected at most 1 argument, got {len(args)}")
    if args:
        source = args[0]
        if isinstance(source, Mapping):
            budget.charge(len(source))
            target.update(source)
        else:
            _update_from_pairs(target, source, budget)
    if kwargs:
        target.update(kwargs)  # keyword names are strings


def _update_from_pairs(target: dict[Any, Any], pairs: Iterable[Any], budget: Budget) -> None:
    for index, pair in enumerate(pairs):
        try:
            key, value = pair
        except TypeError:
            raise TypeError(f"cannot convert dictionary update sequence element #{index} "
                            "to a sequence") from None
        except ValueError:
            raise ValueError(f"dictionary update sequence element #{index} has length "
                             f"{len(list(pair))}; 2 is required") from None
        store(target, key, value, budget)
        if index & (_BATCH - 1) == 0:
            budget.charge(_BATCH)
            budget.check_size(len(target))


def store(target: dict[Any, Any], key: Any, value: Any, budget: Budget) -> None:
    """Set target[KEY] = VALUE once KEY is admitted."""
    if type(key) is not str:
        admit(key, budget)
    target[key] = value
