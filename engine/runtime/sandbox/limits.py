"""Bounds on one evaluation: steps, nesting depth, sizes, work, total allocation and time."""

from __future__ import annotations

import time
from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from engine.core.errors import ScriptLimitExceeded

CONTAINERS = (list, tuple, set, frozenset, dict)
KEYS_VIEW: type[KeysView[Any]] = type({}.keys())
VALUES_VIEW: type[ValuesView[Any]] = type({}.values())
ITEMS_VIEW: type[ItemsView[Any, Any]] = type({}.items())
# containers and the dict views scripts can reach: each holds (or shows) its elements
SIZED = (*CONTAINERS, KEYS_VIEW, VALUES_VIEW, ITEMS_VIEW)

# Work units between two reads of the clock: a unit is well under a microsecond of C.
_CLOCK_EVERY = 4096


@dataclass(frozen=True)
class Limits:
    """What one evaluation of a script or expression may use."""

    steps: int = 100_000
    depth: int = 100
    size: int = 1_000_000
    int_digits: int = 100
    allocation: int = 10_000_000
    seconds: float = 5.0
    source_chars: int = 100_000
    data_depth: int = 100
    # what one operation done in C (a sort, a scan, a comparison) may touch, counted
    # before it runs: an element is one unit, so are 16 characters of a string
    work: int = 4_000_000

    @property
    def max_int(self) -> int:
        """Return the largest absolute int a script may create."""
        return int(10**self.int_digits)


@dataclass(frozen=True)
class CommandClock:
    """The deadline of the command (one transaction) evaluations currently run in."""

    deadline: float
    seconds: float


_command: ContextVar[CommandClock | None] = ContextVar("sandbox_command", default=None)


@contextmanager
def command_deadline(seconds: float) -> Iterator[CommandClock]:
    """Bound every evaluation started inside the block by a deadline SECONDS from now."""
    clock = CommandClock(time.monotonic() + seconds, seconds)
    outer = _command.get()
    if outer is not None and outer.deadline < clock.deadline:
        clock = outer  # a command run inside another keeps the outer, earlier deadline
    token = _command.set(clock)
    try:
        yield clock
    finally:
        _command.reset(token)


def current_command() -> CommandClock | None:
    """Return the deadline of the command running in this context, if any."""
    return _command.get()


class Budget:
    """Count what one evaluation used and raise once it passes its Limits."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.steps = 0
        self.depth = 0
        self.allocated = 0
        self.work = 0
        self._next_clock = _CLOCK_EVERY
        self.max_int = limits.max_int
        self.max_bits = self.max_int.bit_length()
        self.deadline = time.monotonic() + limits.seconds
        self._late = f"script exceeded {limits.seconds} seconds"
        command = _command.get()
        if command is not None and command.deadline < self.deadline:
            self.deadline = command.deadline
            self._late = f"the command exceeded its {command.seconds} seconds"

    def step(self) -> None:
        """Count one node visit; check the wall clock now and then."""
        self.steps += 1
        if self.steps > self.limits.steps:
            raise ScriptLimitExceeded(f"script exceeded {self.limits.steps} steps")
        # A clock read per node would double the cost of small expressions.
        if self.steps & 1023 == 0:
            self.check_clock()

    def check_clock(self) -> None:
        """Raise once the evaluation (or its command) is past its deadline."""
        if time.monotonic() > self.deadline:
            raise ScriptLimitExceeded(self._late)

    def charge(self, units: int) -> None:
        """Count UNITS of work done in C; read the clock every few thousand units."""
        self.work += units
        if self.work >= self._next_clock:
            self._next_clock = self.work + _CLOCK_EVERY
            self.check_clock()

    def check_work(self, units: int, what: str) -> None:
        """Refuse, before it runs, an operation doing more than the work limit; else charge it."""
        if units > self.limits.work:
            raise ScriptLimitExceeded(
                f"{what} would touch about {units} elements (or 16-character runs of "
                f"text), above the limit of {self.limits.work} for one operation")
        self.charge(units)

    def enter(self) -> None:
        """Go one level deeper into nested expressions or blocks."""
        self.depth += 1
        if self.depth > self.limits.depth:
            raise ScriptLimitExceeded(f"script nested deeper than {self.limits.depth} levels")

    def leave(self) -> None:
        """Come back up one level."""
        self.depth -= 1

    def check_size(self, units: int) -> None:
        """Refuse, before computing it, a string or container larger than allowed."""
        if units > self.limits.size:
            raise ScriptLimitExceeded(
                f"result of {units} characters/elements exceeds the limit of {self.limits.size}")

    def allocate(self, value: object) -> None:
        """Charge a freshly built string or container against the total allocation."""
        if isinstance(value, (str, *CONTAINERS)):
            units = len(value)
            self.check_size(units)
            self.allocated += units
            if self.allocated > self.limits.allocation:
                raise ScriptLimitExceeded(
                    f"script built more than {self.limits.allocation} characters/elements")
            self.charge(units >> 4 if isinstance(value, str) else units)

    def check_int(self, value: object) -> None:
        """Refuse an int result beyond the configured magnitude."""
        if type(value) is int and abs(value) > self.max_int:
            self.refuse_int()

    def refuse_int(self) -> None:
        """Raise the error for an integer that is (or would be) too large."""
        raise ScriptLimitExceeded(
            f"integer result exceeds the limit of 10**{self.limits.int_digits}")

    def check_decimal(self, value: Decimal) -> None:
        """Refuse a Decimal whose exponent would make int() or formatting explode."""
        if value.is_finite() and abs(value.adjusted()) > DECIMAL_EXPONENT:
            raise ScriptLimitExceeded(f"Decimal exponent beyond +/-{DECIMAL_EXPONENT}")


# Decimal arithmetic runs in a local context bounded by this exponent (see environment.py).
DECIMAL_EXPONENT = 9_999
# Digits a Decimal built by a script may carry (arithmetic rounds to 28 anyway).
DECIMAL_DIGITS = 2_000

_current: ContextVar[Budget | None] = ContextVar("sandbox_budget", default=None)


def current_budget() -> Budget:
    """Return the budget of the evaluation running in this context."""
    budget = _current.get()
    # Allow-listed functions called outside an evaluation (e.g. from tests) still get bounds.
    return Budget(Limits()) if budget is None else budget


def activate(budget: Budget) -> object:
    """Make BUDGET the current one; return a token for deactivate()."""
    return _current.set(budget)


def deactivate(token: object) -> None:
    """Restore the budget that was current before activate()."""
    _current.reset(token)  # type: ignore[arg-type]


def children(value: object) -> Iterator[object]:
    """Yield what a container or dict view holds: a mapping's keys, then its values."""
    if isinstance(value, ITEMS_VIEW):
        value = value.mapping  # type: ignore[attr-defined]
    if isinstance(value, (dict, MappingProxyType)):
        yield from value.keys()
        yield from value.values()
    elif isinstance(value, SIZED):
        yield from value


def measure(value: object, cap: int, render: bool = False) -> int:
    """Return the elements (or printed characters if RENDER) VALUE expands to, stopping past CAP.

    Walks iteratively and counts shared sub-objects each time they occur, so an
    aliasing bomb such as [[[0]*1000]*1000]*1000 is measured as what it prints to.
    """
    total = 0
    stack: list[object] = [value]
    while stack and total <= cap:
        item = stack.pop()
        if isinstance(item, SIZED):
            if render:
                total += 2 + 4 * len(item)
                stack.extend(children(item))
            else:
                total += len(item)
                stack.extend(c for c in children(item) if isinstance(c, SIZED))
        elif render:
            total += _rendered_length(item)
    return total


def _rendered_length(item: object) -> int:
    if isinstance(item, str):
        return len(item) + 2
    if type(item) is int:
        return item.bit_length() // 3 + 2
    if isinstance(item, Decimal) and item.is_finite():
        return abs(item.adjusted()) + len(item.as_tuple().digits) + 4
    return 32
