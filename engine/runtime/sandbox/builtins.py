"""The allow-listed functions scripts may call; anything else is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sized
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar

from engine.core.errors import ScriptLimitExceeded
from engine.runtime.sandbox import hashing
from engine.runtime.sandbox.costs import check_weight, sort_units
from engine.runtime.sandbox.guards import stepping_key
from engine.runtime.sandbox.limits import DECIMAL_DIGITS, current_budget, measure

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
    elif args and isinstance(args[0], str):
        budget.charge(len(args[0]) >> 4)
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
    _charge_length(items)
    result = sum(items, start)
    current_budget().check_int(result)
    return result


def safe_all(items: Iterable[Any]) -> bool:
    """Return all(items)."""
    _charge_length(items)
    return all(items)


def safe_any(items: Iterable[Any]) -> bool:
    """Return any(items)."""
    _charge_length(items)
    return any(items)


def safe_float(*args: Any) -> float:
    """Return float(value)."""
    if args and isinstance(args[0], str):
        current_budget().charge(len(args[0]) >> 4)
    return float(*args)


def safe_decimal(value: Any = "0", *args: Any) -> Decimal:
    """Return Decimal(value) with a bounded exponent and number of digits."""
    budget = current_budget()
    if isinstance(value, str):
        budget.charge(len(value) >> 4)
    result = Decimal(value, *args)
    budget.check_decimal(result)
    if result.is_finite() and len(result.as_tuple().digits) > DECIMAL_DIGITS:
        raise ScriptLimitExceeded(f"Decimal with more than {DECIMAL_DIGITS} digits")
    return result


def safe_list(*args: Any) -> list[Any]:
    """Return list(iterable)."""
    return _built(list(*args))


def safe_tuple(*args: Any) -> tuple[Any, ...]:
    """Return tuple(iterable)."""
    return _built(tuple(*args))


def safe_set(*args: Any) -> set[Any]:
    """Return set(iterable), built element by element from keys that cannot collide."""
    if len(args) > 1:
        raise TypeError(f"set expected at most 1 argument, got {len(args)}")
    budget = current_budget()
    return _built(hashing.build_set(args[0], budget) if args else set())


def safe_dict(*args: Any, **kwargs: Any) -> dict[Any, Any]:
    """Return dict(...), built key by key from keys that cannot collide."""
    return _built(hashing.build_dict(current_budget(), *args, **kwargs))


def safe_sorted(items: Iterable[Any], **kwargs: Any) -> list[Any]:
    """Return sorted(items, key=..., reverse=...) once the comparisons it needs are bounded."""
    budget = current_budget()
    listed = items if isinstance(items, list) else list(items)
    budget.check_work(sort_units(listed, budget.limits.work), "sorted()")
    return _built(sorted(listed, **stepping_key(kwargs, budget)))


def _extreme(pick: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    budget = current_budget()
    candidates = args[0] if len(args) == 1 else args
    # each candidate is compared once with the best so far
    check_weight(budget, candidates, f"{pick.__name__}()")
    return pick(*args, **stepping_key(kwargs, budget))


def safe_max(*args: Any, **kwargs: Any) -> Any:
    """Return max(...)."""
    return _extreme(max, args, kwargs)


def safe_min(*args: Any, **kwargs: Any) -> Any:
    """Return min(...)."""
    return _extreme(min, args, kwargs)


def safe_zip(*iterables: Iterable[Any], strict: bool = False) -> list[tuple[Any, ...]]:
    """Return zip(...) as a list so no iterator objects reach scripts."""
    for items in iterables:
        _charge_length(items)
    return _built(list(zip(*iterables, strict=strict)))


def safe_enumerate(items: Iterable[Any], start: int = 0) -> list[tuple[int, Any]]:
    """Return enumerate(items, start) as a list."""
    return _built(list(enumerate(items, start)))


def safe_reversed(items: Any) -> list[Any]:
    """Return reversed(items) as a list."""
    return _built(list(reversed(items)))


def _charge_length(items: object) -> None:
    if isinstance(items, Sized):
        current_budget().charge(len(items))


BUILTINS: dict[str, Callable[..., Any]] = {
    "abs": abs, "all": safe_all, "any": safe_any, "bool": bool, "divmod": divmod,
    "float": safe_float, "len": len, "max": safe_max, "min": safe_min,
    "int": safe_int, "str": safe_str, "round": safe_round, "sum": safe_sum,
    "range": safe_range, "list": safe_list, "tuple": safe_tuple, "set": safe_set,
    "dict": safe_dict, "sorted": safe_sorted, "zip": safe_zip, "enumerate": safe_enumerate,
    "reversed": safe_reversed,
    "datetime": datetime, "date": date, "timedelta": timedelta, "timezone": timezone,
    "Decimal": safe_decimal,
}
