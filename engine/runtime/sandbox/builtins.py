"""The allow-listed functions scripts may call; anything else is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

from engine.core.errors import ScriptLimitExceeded
from engine.runtime.sandbox.limits import current_budget, measure

T = TypeVar("T")


def _built(value: T) -> T:
    current_budget().allocate(value)
    return value


def safe_range(*args: int) -> range:
    """Return range(*args), refusing ranges longer than the size limit."""
    result = range(*args)
    current_budget().check_size(len(result))
    return result


def safe_str(*args: Any, **kwargs: Any) -> str:
    """Return str(value) once its printed size is known to be within bounds."""
    budget = current_budget()
    if args:
        budget.check_size(measure(args[0], budget.limits.size, render=True))
    return _built(str(*args, **kwargs))


def safe_int(*args: Any, **kwargs: Any) -> int:
    """Return int(value) within the int magnitude limit."""
    budget = current_budget()
    if args and isinstance(args[0], Decimal):
        budget.check_decimal(args[0])
    result = int(*args, **kwargs)
    budget.check_int(result)
    return result


def safe_round(number: Any, ndigits: int | None = None) -> Any:
    """Return round(number, ndigits); huge ndigits would make int rounding crawl."""
    if ndigits is not None and isinstance(ndigits, int) and abs(ndigits) > 1000:
        raise ScriptLimitExceeded("round() ndigits beyond +/-1000")
    if isinstance(number, Decimal):
        current_budget().check_decimal(number)
    return round(number) if ndigits is None else round(number, ndigits)


def safe_sum(items: Iterable[Any], start: Any = 0) -> Any:
    """Return sum(items, start) for numbers only; summing lists would be quadratic."""
    if not isinstance(start, (int, float, Decimal)):
        raise TypeError("sum() start must be a number")
    result = sum(items, start)
    current_budget().check_int(result)
    return result


def safe_decimal(value: Any = "0", *args: Any) -> Decimal:
    """Return Decimal(value) with a bounded exponent."""
    result = Decimal(value, *args)
    current_budget().check_decimal(result)
    return result


def safe_list(*args: Any) -> list[Any]:
    """Return list(iterable)."""
    return _built(list(*args))


def safe_tuple(*args: Any) -> tuple[Any, ...]:
    """Return tuple(iterable)."""
    return _built(tuple(*args))


def safe_set(*args: Any) -> set[Any]:
    """Return set(iterable)."""
    return _built(set(*args))


def safe_dict(*args: Any, **kwargs: Any) -> dict[Any, Any]:
    """Return dict(...)."""
    return _built(dict(*args, **kwargs))


def safe_sorted(items: Iterable[Any], **kwargs: Any) -> list[Any]:
    """Return sorted(items, key=..., reverse=...)."""
    return _built(sorted(items, **kwargs))


def safe_zip(*iterables: Iterable[Any], strict: bool = False) -> list[tuple[Any, ...]]:
    """Return zip(...) as a list so no iterator objects reach scripts."""
    return _built(list(zip(*iterables, strict=strict)))


def safe_enumerate(items: Iterable[Any], start: int = 0) -> list[tuple[int, Any]]:
    """Return enumerate(items, start) as a list."""
    return _built(list(enumerate(items, start)))


def safe_reversed(items: Any) -> list[Any]:
    """Return reversed(items) as a list."""
    return _built(list(reversed(items)))


BUILTINS: dict[str, Callable[..., Any]] = {
    "abs": abs, "all": all, "any": any, "bool": bool, "divmod": divmod, "float": float,
    "len": len, "max": max, "min": min,
    "int": safe_int, "str": safe_str, "round": safe_round, "sum": safe_sum,
    "range": safe_range, "list": safe_list, "tuple": safe_tuple, "set": safe_set,
    "dict": safe_dict, "sorted": safe_sorted, "zip": safe_zip, "enumerate": safe_enumerate,
    "reversed": safe_reversed,
    "datetime": datetime, "date": date, "timedelta": timedelta, "timezone": timezone,
    "Decimal": safe_decimal,
}
