"""Python operators and string formatting, with size checks made before computing."""

from __future__ import annotations

import ast
import operator
import re
import string
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from engine.core.errors import ScriptRefused
from engine.runtime.sandbox.costs import FLAT, compare_units, member_units
from engine.runtime.sandbox.hashing import set_operand, update_dict
from engine.runtime.sandbox.limits import ITEMS_VIEW, KEYS_VIEW, SIZED, Budget, measure

BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.LShift: operator.lshift, ast.RShift: operator.rshift,
    ast.BitOr: operator.or_, ast.BitXor: operator.xor, ast.BitAnd: operator.and_,
}

# In-place forms keep Python's aliasing semantics for `lst += [...]`.
INPLACE: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul,
    ast.Div: operator.itruediv, ast.FloorDiv: operator.ifloordiv, ast.Mod: operator.imod,
    ast.Pow: operator.ipow, ast.LShift: operator.ilshift, ast.RShift: operator.irshift,
    ast.BitOr: operator.ior, ast.BitXor: operator.ixor, ast.BitAnd: operator.iand,
}

UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.Not: operator.not_, ast.USub: operator.neg, ast.UAdd: operator.pos,
    ast.Invert: operator.invert,
}

COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_,
    ast.IsNot: operator.is_not, ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}

_SEQUENCES = (str, list, tuple)
_NUMBER = re.compile(r"\d+")
_PERCENT = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?")
_FIELD_HEAD = re.compile(r"[^.\[]*")
_SET_OPERATORS = (ast.BitOr, ast.BitAnd, ast.Sub, ast.BitXor)
# dict views that combine with any iterable into a new set (values views do not)
_SET_VIEWS = (KEYS_VIEW, ITEMS_VIEW)
_IDENTITY = (ast.Is, ast.IsNot)
# membership in a list or tuple this short, of a flat value or short string, is cheap
_SHORT_SCAN = 16
_SHORT_TEXT = 1024


def binary(op: type[ast.operator], left: Any, right: Any, budget: Budget,
           inplace: bool = False) -> Any:
    """Apply a binary operator after checking that its result stays within bounds."""
    if op in _SET_OPERATORS:
        if isinstance(left, _SET_VIEWS) or isinstance(right, _SET_VIEWS):
            # Python would build a set from the other operand: build both here instead
            left, right = set_operand(left, budget), set_operand(right, budget)
        elif isinstance(left, (set, frozenset, dict)) and isinstance(right, (set, frozenset, dict)):
            budget.charge(len(left) + len(right))
        elif inplace and op is ast.BitOr and type(left) is dict:
            # d |= pairs takes any iterable of pairs, as dict.update does
            update_dict(left, budget, right)
            budget.check_size(len(left))
            return left
    _precheck(op, left, right, budget)
    result = (INPLACE if inplace else BINARY)[op](left, right)
    budget.check_int(result)
    if op in (ast.Add, ast.Mult, ast.Mod, ast.BitOr) and result is not left:
        budget.allocate(result)
    return result


def _is_int(value: object) -> bool:
    return isinstance(value, int)


def _precheck(op: type[ast.operator], left: Any, right: Any, budget: Budget) -> None:
    if op is ast.Mult:
        if isinstance(left, _SEQUENCES) and _is_int(right):
            _check_repeat(left, right, budget)
        elif isinstance(right, _SEQUENCES) and _is_int(left):
            _check_repeat(right, left, budget)
        elif _is_int(left) and _is_int(right):
            if left.bit_length() + right.bit_length() > budget.max_bits + 1:
                budget.refuse_int()
    elif op is ast.Pow and _is_int(left) and _is_int(right) and right > 0:
        if abs(left) > 1 and (abs(left).bit_length() - 1) * right > budget.max_bits:
            budget.refuse_int()
    elif op is ast.LShift and _is_int(left) and _is_int(right) and left:
        if left.bit_length() + right > budget.max_bits:
            budget.refuse_int()
    elif op in (ast.Add, ast.BitOr) and hasattr(left, "__len__") and hasattr(right, "__len__"):
        budget.check_size(len(left) + len(right))
    elif op is ast.Mod and isinstance(left, str):
        check_percent_format(left, budget, right)


def _check_repeat(seq: str | list[Any] | tuple[Any, ...], count: int, budget: Budget) -> None:
    if count <= 0:
        return
    # Elements that are containers count with their contents: [[0]*1000]*1000 is 10**6.
    units = len(seq) if isinstance(seq, str) else measure(seq, budget.limits.size)
    budget.check_size(units * count)


def compare(op: type[ast.cmpop], left: Any, right: Any, budget: Budget) -> Any:
    """Apply a comparison; bound container comparisons, which run in C past the step clock."""
    if op is ast.In or op is ast.NotIn:
        if not _cheap_membership(left, right):
            budget.check_work(member_units(left, right, budget.limits.work), "this 'in' test")
    elif isinstance(left, SIZED) and isinstance(right, SIZED) and left is not right \
            and op not in _IDENTITY:
        budget.check_work(compare_units(left, right, budget.limits.work),
                          "comparing these containers")
    return COMPARE[op](left, right)


def _cheap_membership(needle: Any, haystack: Any) -> bool:
    kind = type(needle)
    if kind is tuple:
        return False  # a tuple is hashed (or compared) item by item
    within = type(haystack)
    if within is dict or within is set or within is frozenset:
        return True  # one hash of a flat value or a string, whose hash is kept
    return (within is list or within is tuple or within is str) \
        and len(haystack) <= _SHORT_SCAN \
        and (kind in FLAT or kind is str and len(needle) <= _SHORT_TEXT)


def check_format_spec(spec: str, budget: Budget) -> int:
    """Refuse a format spec whose width or precision would build a huge string; return it."""
    widest = 0
    for number in _NUMBER.findall(spec):
        width = int(number) if len(number) < 12 else budget.limits.size + 1
        budget.check_size(width)
        widest = max(widest, width)
    return widest


def check_percent_format(template: str, budget: Budget, values: Any = None) -> None:
    """Refuse %-formatting with `*` widths or a result beyond the size limit."""
    cap = budget.limits.size
    total = len(template)
    named: dict[str, int] = {}
    for match in _PERCENT.finditer(template):
        name, width, precision = match.groups()
        for part in (width, precision):
            if part == "*":
                raise ScriptRefused("'*' widths in %-formatting are not allowed")
            if part:
                total += check_format_spec(part, budget)
        if name is not None and isinstance(values, dict):
            # every %(name)s prints its value again, however often the name recurs
            if name not in named:
                named[name] = measure(values.get(name), cap, render=True)
            total += named[name]
            budget.check_size(total)
    if not isinstance(values, dict) and values is not None:
        total += measure(values, cap, render=True)
    budget.check_size(total)


def check_str_format(template: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                     budget: Budget) -> None:
    """Refuse str.format templates that read attributes or nest fields; bound the result."""
    cap = budget.limits.size
    total = 0
    auto = 0
    sizes: dict[str, int] = {}
    for literal, field, spec, _conversion in string.Formatter().parse(template):
        total += len(literal)
        if field is None:
            continue
        if "." in field:
            raise ScriptRefused(f"attribute access in format field '{{{field}}}' is not allowed")
        if spec and "{" in spec:
            raise ScriptRefused("nested format fields are not allowed")
        total += check_format_spec(spec or "", budget)
        head = _FIELD_HEAD.match(field).group()  # type: ignore[union-attr]
        if head == "":
            head, auto = str(auto), auto + 1
        if head not in sizes:
            # each field prints its argument (or a part of it) again, however often named
            index = int(head) if head.isascii() and head.isdigit() and len(head) < 10 else -1
            value = args[index] if 0 <= index < len(args) else kwargs.get(head)
            sizes[head] = measure(value, cap, render=True)
        total += sizes[head]
        budget.check_size(total)
    budget.check_size(total)


def render(value: Any, spec: str, conversion: int, budget: Budget) -> str:
    """Format one f-string field like Python does, within the size limit."""
    check_format_spec(spec, budget)
    budget.check_size(measure(value, budget.limits.size, render=True))
    if conversion == ord("r"):
        value = repr(value)
    elif conversion == ord("a"):
        value = ascii(value)
    elif conversion == ord("s"):
        value = str(value)
    if isinstance(value, Decimal):
        budget.check_decimal(value)
    return format(value, spec)
