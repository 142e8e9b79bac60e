"""Fuzzing the sandbox: generated expressions end within their limit and fail only cleanly.

Expressions come from a grammar of the allowed constructs, fed with big numbers,
colliding keys, long strings and containers that share their parts. Whatever they
do, an evaluation must end within its time limit and raise nothing but the
sandbox's own errors and the ordinary Python errors it lets through.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.core.errors import ScriptLimitExceeded, ScriptRefused
from engine.runtime.sandbox import Limits, SandboxEnvironment
from tests.runtime.sandbox.test_c_call_bounds import M, colliding_pairs

LIMITS = Limits(seconds=2.0)
ENV = SandboxEnvironment(limits=LIMITS)
# what a model's mistake may raise: the sandbox's refusals and Python's ordinary errors
# (SyntaxError: an f-string nested in one with the same quotes is not Python 3.11)
ALLOWED = (ScriptLimitExceeded, ScriptRefused, ArithmeticError, LookupError, TypeError,
           ValueError, NameError, AttributeError, SyntaxError)
DATA: dict[str, Any] = {
    "M": M,
    "s": "x" * 100_000,
    "L": list(range(10_000)),
    "big": [[0] * 1000] * 1000,  # a million elements sharing one row
    "T": tuple(range(100)),
    "D": {str(i): i for i in range(100)},
    "P": colliding_pairs(5000),
    "far": [i * M for i in range(30_000)],  # ints that all hash to 0
}

ATOMS = st.sampled_from([
    "0", "1", "-1", "7", "2**31", "M", "2*M", "10**30", "-M", "10**99", "0.5", "1e308",
    "float('nan')", "float('inf')", "'ab'", "''", "'x' * 1000", "'{0}{0}'", "'%s'", "s",
    "L", "big", "T", "D", "P", "far", "x", "None", "True", "Decimal('1.5')",
    "Decimal('1e9000')", "Decimal(M)", "(1, M)", "range(1000)", "range(0, 30000 * M, M)",
    "date(2024, 1, 1)", "timedelta(days=1)",
])
UNARY = ["-({})", "not ({})", "~({})"]
BINARY = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "|", "&", "^", "==", "<", "<=",
          "in", "not in", "and", "or"]
CALLS = ["len", "set", "dict", "sorted", "sum", "list", "tuple", "max", "min", "str", "int",
         "float", "abs", "range", "zip", "enumerate", "reversed", "any", "all", "Decimal",
         "round", "bool"]
PAIR_CALLS = ["range", "zip", "max", "min", "round", "divmod", "dict", "sorted"]
METHODS = ["join({})", "replace({}, 'yy')", "split({})", "upper()", "count({})",
           "strip({})", "format({})", "union({})", "get({})", "keys()", "items()",
           "values()", "index({})", "startswith({})", "center({})", "issubset({})",
           "intersection({})", "isdisjoint({})", "symmetric_difference({})"]


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    two = st.tuples(inner, inner)
    return st.one_of(
        st.tuples(st.sampled_from(UNARY), inner).map(lambda p: p[0].format(p[1])),
        st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda p: f"({p[0]}) {p[1]} ({p[2]})"),
        st.tuples(inner, inner, inner).map(lambda p: f"({p[0]}) if ({p[1]}) else ({p[2]})"),
        two.map(lambda p: f"[{p[0]}, {p[1]}]"),
        two.map(lambda p: f"({p[0]}, {p[1]})"),
        two.map(lambda p: f"{{{p[0]}, {p[1]}}}"),
        two.map(lambda p: f"{{({p[0]}): ({p[1]})}}"),
        inner.map(lambda e: f"[*({e})]"),
        inner.map(lambda e: f"{{*({e})}}"),
        inner.map(lambda e: f"{{**({e})}}"),
        two.map(lambda p: f"[({p[0]}) for x in ({p[1]})]"),
        two.map(lambda p: f"{{({p[0]}) for x in ({p[1]})}}"),
        two.map(lambda p: f"{{({p[0]}): x for x in ({p[1]})}}"),
        st.tuples(st.sampled_from(CALLS), inner).map(lambda p: f"{p[0]}({p[1]})"),
        st.tuples(st.sampled_from(PAIR_CALLS), inner, inner)
        .map(lambda p: f"{p[0]}({p[1]}, {p[2]})"),
        st.tuples(inner, st.sampled_from(METHODS), inner)
        .map(lambda p: f"({p[0]}).{p[1].format(p[2])}"),
        two.map(lambda p: f"({p[0]})[{p[1]}]"),
        st.tuples(inner, inner, inner).map(lambda p: f"({p[0]})[({p[1]}):({p[2]})]"),
        two.map(lambda p: f'f"{{{p[0]}}}{{{p[1]}!r}}"'),
        two.map(lambda p: f"({p[0]}) % ({p[1]})"),
    )


EXPRESSIONS = st.recursive(ATOMS, _compound, max_leaves=8)


@settings(max_examples=400, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(EXPRESSIONS)
def test_every_generated_expression_ends_within_its_limit(expression: str) -> None:
    started = time.monotonic()
    try:
        ENV.evaluate(expression, DATA)
    except ALLOWED:
        pass
    elapsed = time.monotonic() - started
    # generous: the limit plus time to build the error and copy a result
    assert elapsed < LIMITS.seconds + 3.0, f"{expression!r} ran {elapsed:.1f} s"


def test_the_data_is_left_as_it_was() -> None:
    assert DATA["big"][0] is DATA["big"][1] and len(DATA["far"]) == 30_000
    assert ENV.evaluate("Decimal('2.5') + 1", {}) == Decimal("3.5")
