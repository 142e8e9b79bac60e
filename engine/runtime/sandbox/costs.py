"""What an operation that runs in C (a scan, a sort, a comparison) will cost, known before it runs.

Once CPython is inside such a call the sandbox's step counter and clock cannot run,
so its cost is estimated from its operands first, refused above Limits.work, and
charged to the budget (which reads the clock as work accumulates). The unit is one
element visited, or 16 characters compared or hashed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from engine.runtime.sandbox.limits import (
    ITEMS_VIEW,
    KEYS_VIEW,
    SIZED,
    VALUES_VIEW,
    Budget,
    children,
)

# Values that compare and hash in constant time (ints are bounded by Limits.int_digits).
FLAT = frozenset({int, float, bool, type(None), Decimal, date, datetime, timedelta})
# Containers whose membership test is a hash lookup rather than a scan.
_HASHED = (set, frozenset, dict, KEYS_VIEW, ITEMS_VIEW)
# Needle lengths above this are searched in linear time (CPython's two-way search).
_SHORT_NEEDLE = 100


def weigh(value: object, cap: int) -> int:
    """Return the units VALUE expands to, shared parts counted each time; stop past CAP."""
    kind = type(value)
    if kind is str:
        return 1 + (len(value) >> 4)  # type: ignore[arg-type]
    if not isinstance(value, SIZED):
        return 1 + len(value) if kind is range else 1  # type: ignore[arg-type]
    total = 1
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        # a mapping shows its keys and its values; an items view a pair per entry
        total += len(item) * (2 if isinstance(item, (dict, ITEMS_VIEW)) else 1)
        if total > cap:
            return total
        for child in children(item):
            ctype = type(child)
            if ctype is str:
                total += len(child) >> 4  # type: ignore[arg-type]
            elif ctype not in FLAT:
                stack.append(child)
        if total > cap:
            return total
    return total


def check_weight(budget: Budget, value: object, what: str, factor: int = 1) -> None:
    """Refuse and charge an operation whose cost is FACTOR times the weight of VALUE."""
    cap = budget.limits.work
    budget.check_work(weigh(value, cap // factor + 1) * factor, what)


def search_units(haystack: int, needle: int) -> int:
    """Units of a substring search: linear, but short needles may revisit characters."""
    return 1 + (haystack >> 4) + ((haystack * min(needle, _SHORT_NEEDLE)) >> 6)


def member_units(needle: Any, haystack: Any, cap: int) -> int:
    """Units of `needle in haystack`, an upper bound computed before it runs."""
    if type(haystack) is str:
        return search_units(len(haystack), len(needle) if type(needle) is str else 1)
    if isinstance(haystack, _HASHED):
        # one hash of the needle, and an equality test with the few keys that share it
        return 2 * weigh(needle, cap)
    if isinstance(haystack, (list, tuple, VALUES_VIEW, range)):
        length = len(haystack)
        if type(needle) in FLAT or isinstance(haystack, range):
            return 1 + length
        # each element costs at most the needle's size or its own, whichever is smaller
        bound = length * weigh(needle, cap)
        return bound if bound <= cap else min(bound, weigh(haystack, cap))
    return 1


def compare_units(left: object, right: object, cap: int) -> int:
    """Units of comparing two containers: at most the smaller of the two is walked."""
    first = weigh(left, cap)
    return first if first <= cap else min(first, weigh(right, cap))


def sort_units(items: Any, cap: int) -> int:
    """Units of sorting ITEMS: each element takes part in about log2(n) comparisons."""
    rounds = max(1, len(items).bit_length())
    return weigh(items, cap // rounds + 1) * rounds


def total_length(items: Iterable[Any]) -> int:
    """Return the summed length of the strings among ITEMS (others count as nothing)."""
    return sum(len(item) for item in items if type(item) is str)
