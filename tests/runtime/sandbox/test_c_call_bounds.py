"""Operations that run inside one C call are bounded before they start: no evaluation can
hold the GIL past its limit by making CPython hash, compare, sort or build without end."""

from __future__ import annotations

import threading
import time
import tracemalloc
from decimal import Decimal
from typing import Any

import pytest

from engine.core.errors import ScriptLimitExceeded
from engine.runtime.sandbox import SandboxEnvironment

ENV = SandboxEnvironment()
M = 2**61 - 1  # ints, floats and Decimals hash by value modulo M: 0, M, 2*M... all collide
N = 20_000
# generous: the point is that the evaluation ends, not how fast
BOUND = 10.0

_P1, _P2, _P5 = 11400714785074694791, 14029467366897019727, 2870177450012600261
_MASK = 2**64 - 1


def _rotl(x: int) -> int:
    return ((x << 31) | (x >> 33)) & _MASK


def _rotr(x: int) -> int:
    return ((x >> 31) | (x << 33)) & _MASK


def colliding_pairs(count: int, target: int = 12345) -> list[tuple[int, int]]:
    """Pairs of ints whose tuple hashes are all TARGET, found by solving CPython's tuple hash."""
    inv1, inv2 = pow(_P1, -1, 2**64), pow(_P2, -1, 2**64)
    before_len = (target - (2 ^ (_P5 ^ 3527539))) & _MASK
    needed = _rotr((before_len * inv1) & _MASK)
    pairs = []
    first = 1
    while len(pairs) < count:
        acc = (_rotl((_P5 + first * _P2) & _MASK) * _P1) & _MASK
        lane = ((needed - acc) * inv2) & _MASK
        second = lane if lane < M else lane - 2**64 if lane > 2**64 - M else None
        if second is not None and second != -1:
            pairs.append((first, second))
        first += 1
    return pairs


def run_bounded(source: str, data: dict[str, Any], script: bool = False) -> Exception:
    """Evaluate SOURCE in a thread; return what it raised once it ended (within BOUND)."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            if script:
                ENV.execute(source, dict(data))
            else:
                ENV.evaluate(source, data)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            outcome.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(BOUND)
    elapsed = time.monotonic() - started
    assert not worker.is_alive(), f"still running after {elapsed:.1f} s: {source[:80]}"
    [error] = outcome
    assert error is not None, f"did not raise: {source[:80]}"
    assert isinstance(error, Exception)
    return error


COLLIDING = [
    "set(range(0, N * M, M))",
    "{x for x in range(0, N * M, M)}",
    "{x: 0 for x in range(0, N * M, M)}",
    "{*range(0, N * M, M)}",
    "dict(zip(range(0, N * M, M), range(N)))",
    "set() | set(range(0, N * M, M))",
    "{1}.union(range(0, N * M, M))",
    "{0}.issubset(range(0, N * M, M))",
    "{0}.symmetric_difference(range(0, N * M, M))",
    "{}.keys() | range(0, N * M, M)",
    "{}.items() | zip(range(0, N * M, M), range(N))",
    "set(whole_decimals)",
    "set(fractional_decimals)",
    "set(pairs)",
    "{p: 1 for p in pairs}",
]


@pytest.mark.parametrize("expression", COLLIDING)
def test_colliding_keys_are_refused_before_they_stall(expression: str) -> None:
    data = {"N": N, "M": M, "pairs": colliding_pairs(N),
            "whole_decimals": [Decimal(i * M) for i in range(N)],
            # 28 digits over 10**30: exact, and all hash like 7 / 10**30
            "fractional_decimals": [Decimal(i * M + 7).scaleb(-30) for i in range(N)]}
    for colliding in ("pairs", "whole_decimals", "fractional_decimals"):
        assert len({hash(p) for p in data[colliding][:100]}) == 1
    error = run_bounded(expression, data)
    assert isinstance(error, ScriptLimitExceeded)
    assert "set element or dict key" in str(error)


@pytest.mark.parametrize("script", [
    "d = {}\nfor i in range(N):\n    d[i * M] = i",
    "s = set()\nfor i in range(N):\n    s.add(i * M)",
    "d = {}\nd.update(zip(range(0, N * M, M), range(N)))",
    "d = {}\nd.update(list(zip(range(0, N * M, M), range(N))))",
    "d = {}\nd |= zip(range(0, N * M, M), range(N))",
    "s = {0}\ns.update(range(0, N * M, M))",
    "d = {}\nfor i in range(N):\n    d.setdefault(i * M, i)",
    "d = {}\nfor i in range(N):\n    d[(i, i * M)] = i",
])
def test_scripts_cannot_fill_sets_and_dicts_with_colliding_keys(script: str) -> None:
    error = run_bounded(script, {"N": N, "M": M}, script=True)
    assert isinstance(error, ScriptLimitExceeded)
    assert "set element or dict key" in str(error)


def test_colliding_literals_are_refused() -> None:
    keys = ", ".join(f"{i} * M" for i in range(2, 300))
    for source in (f"{{{keys}}}", "{" + keys.replace(", ", ": 0, ") + ": 0}"):
        with pytest.raises(ScriptLimitExceeded, match="set element or dict key"):
            ENV.evaluate(source, {"M": M})


@pytest.mark.parametrize(("expression", "expected"), [
    ("{(1, 2), (1, 2), (-3, 2**31)}", {(1, 2), (-3, 2**31)}),
    ("{1.5, 2.5, 0.1, -2.0**60, 10**18}", {1.5, 2.5, 0.1, -(2.0**60), 10**18}),
    ("{Decimal('1.25'), Decimal('1.250'), Decimal('1E+3'), Decimal(10**18)}",
     {Decimal("1.25"), Decimal(1000), Decimal(10**18)}),
    ("dict([('a', 1)], b=2) | dict({'c': 3}) | dict(['de'])", {"a": 1, "b": 2, "c": 3, "d": "e"}),
    ("{**{'a': 1}, 2: 'x', None: 0, (1, 'y'): 1}", {"a": 1, 2: "x", None: 0, (1, "y"): 1}),
    ("{'a': 1}.keys() | {'b'}, {'a': 1}.items() & {('a', 1)}", ({"a", "b"}, {("a", 1)})),
    ("{1, 2}.union([3], (4,)), {1, 2}.issubset(range(5)), {1}.isdisjoint('ab')",
     ({1, 2, 3, 4}, True, True)),
    ("2**70 in {1, 2}, {1: 2}.get(2**70), (2**70, 1) in {(1, 1)}", (False, None, False)),
    ("sorted({'b': 1, 'a': 2}), max(['aa', 'b'], key=len), min(3, 1, 2)", (["a", "b"], "aa", 1)),
    ("'-'.join({'a': 1, 'b': 2}), '+'.join('abc'), ''.join(x for x in 'xy')",
     ("a-b", "a+b+c", "xy")),
    ("'{0}{0}{name}'.format('ab', name='c'), '%(x)s-%(x)s' % {'x': 1}", ("ababc", "1-1")),
    ("'xxhixx'.strip('x'), 'abc'.startswith(('x', 'a')), [1, 2, 1].count(1)",
     ("hi", True, 2)),
])
def test_bounded_operations_keep_python_semantics(expression: str, expected: Any) -> None:
    assert ENV.evaluate(expression, {}) == expected


def test_update_keeps_python_semantics() -> None:
    data: dict[str, Any] = {}
    ENV.execute("d = {'a': 0}\nd.update([('b', 1)], c=2)\nd.update({'a': 3})\n"
                "s = {1}\ns.update([2], (3,))\nd.setdefault('e', 4)", data)
    assert data == {"d": {"a": 3, "b": 1, "c": 2, "e": 4}, "s": {1, 2, 3}}
    with pytest.raises(ValueError, match="has length 3; 2 is required"):
        ENV.evaluate("dict(['abc'])", {})
    with pytest.raises(TypeError, match="cannot convert dictionary update sequence"):
        ENV.evaluate("dict([1])", {})


LONG = {"a": "x" * 10**6, "a2": "x" * (10**6 - 1) + "x", "b": "x" * (10**6 - 1) + "y",
        "short": "x" * 10**5, "short2": "x" * (10**5 - 1) + "y"}
# t3 holds ten references to t2, which holds a thousand to t1, a million elements each:
# 10**10 elements to hash, though the script built only a few thousand
ALIASED = ("t0 = (0,) * 999\nt1 = (t0,) * 1000\nt2 = (" + "t1, " * 1000 + ")\n"
           "t3 = (" + "t2, " * 10 + ")\n")


@pytest.mark.parametrize("source", [
    "sorted([short, short2] * 50000)",
    "max([a, a2] * 50000)",
    "a2 in [a] * 100000",
    "([a] * 100000).count(a2)",
    "[a] * 100000 == [a2] * 100000",
    "a.startswith((b,) * 100000)",
    "a.strip('y' * 100000 + 'x')",
])
def test_scans_sorts_and_comparisons_are_bounded(source: str) -> None:
    error = run_bounded(source, LONG)
    assert isinstance(error, ScriptLimitExceeded)
    assert "would touch about" in str(error)


@pytest.mark.parametrize(("last", "refusal"), [
    ("found = t3 in {}", "would touch about"), ("s = {t3}", "set element or dict key"),
    ("d = {}\nd[t3] = 1", "set element or dict key"), ("found = {}.get(t3)", "would touch about"),
])
def test_hashing_an_aliased_tuple_is_bounded(last: str, refusal: str) -> None:
    error = run_bounded(ALIASED + last, {}, script=True)
    assert isinstance(error, ScriptLimitExceeded)
    assert refusal in str(error)


@pytest.mark.parametrize("source", [
    "('{0}' * 2000).format(s)",
    "('%(v)s' * 2000) % {'v': s}",
    "f'" + "{s}" * 600 + "'",
    "('y' * 2000).join(s)",
    "('y' * 20000).join({str(i): 0 for i in range(1000)}.keys())",
])
def test_outputs_are_measured_before_they_are_built(source: str) -> None:
    data = {"s": "x" * 40_000}
    tracemalloc.start()
    try:
        with pytest.raises(ScriptLimitExceeded, match="exceeds the limit"):
            ENV.evaluate(source, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000, f"built {peak} bytes before refusing"


def test_decimals_with_huge_coefficients_are_refused() -> None:
    with pytest.raises(ScriptLimitExceeded, match="digits"):
        ENV.evaluate("Decimal('0.' + '1' * 100000)", {})


def test_sort_key_functions_count_steps() -> None:
    env = SandboxEnvironment(limits=ENV.limits.__class__(steps=500))
    with pytest.raises(ScriptLimitExceeded, match="steps"):
        env.evaluate("sorted(range(1000), key=abs)", {})
