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
from engine.runtime.sandbox.limits import CONTAINERS, Budget, measure

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
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?")


def binary(op: type[ast.operator], left: Any, right: Any, budget: Budget,
           inplace: bool = False) -> Any:
    """Apply a binary operator after checking that its result stays within bounds."""
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
        check_percent_format(left, budget)
        budget.check_size(len(left) + measure(right, budget.limits.size, render=True))


def _check_repeat(seq: str | list[Any] | tuple[Any, ...], count: int, budget: Budget) -> None:
    if count <= 0:
        return
    # Elements that are containers count with their contents: [[0]*1000]*1000 is 10**6.
    units = len(seq) if isinstance(seq, str) else measure(seq, budget.limits.size)
    budget.check_size(units * count)


def compare(op: type[ast.cmpop], left: Any, right: Any, budget: Budget) -> Any:
    """Apply a comparison; bound container comparisons, which run in C past the step clock."""
    cap = budget.limits.size
    if isinstance(left, CONTAINERS) and isinstance(right, CONTAINERS) and left is not right:
        if op in (ast.In, ast.NotIn):
            budget.check_size(measure(right, cap))
        elif op not in (ast.Is, ast.IsNot):
            budget.check_size(measure(left, cap) + measure(right, cap))
    return COMPARE[op](left, right)


def check_format_spec(spec: str, budget: Budget) -> None:
    """Refuse a format spec whose width or precision would build a huge string."""
    for number in _NUMBER.findall(spec):
        budget.check_size(int(number) if len(number) < 12 else budget.limits.size + 1)


def check_percent_format(template: str, budget: Budget) -> None:
    """Refuse %-formatting with `*` widths or widths beyond the size limit."""
    for match in _PERCENT.finditer(template):
        for part in match.groups():
            if part == "*":
                raise ScriptRefused("'*' widths in %-formatting are not allowed")
            if part:
                check_format_spec(part, budget)


def check_str_format(template: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                     budget: Budget) -> None:
    """Refuse str.format templates that read attributes or nest fields; bound the result."""
    total = len(template)
    for _literal, field, spec, _conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if "." in field:
            raise ScriptRefused(f"attribute access in format field '{{{field}}}' is not allowed")
        if spec and "{" in spec:
            raise ScriptRefused("nested format fields are not allowed")
        check_format_spec(spec or "", budget)
    for value in (*args, *kwargs.values()):
        total += measure(value, budget.limits.size, render=True)
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
