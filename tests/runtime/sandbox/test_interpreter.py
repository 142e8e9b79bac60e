"""The sandbox interpreter: Python semantics for what is allowed, refusal for the rest."""

from __future__ import annotations

import time
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from engine.core.errors import ScriptLimitExceeded, ScriptRefused
from engine.runtime.sandbox import Limits, SandboxEnvironment, error_line, lint

ENV = SandboxEnvironment()


def run(script: str, **data: Any) -> dict[str, Any]:
    ENV.execute(script, data)
    return data


@pytest.mark.parametrize(("expression", "expected"), [
    ("1 + 2 * 3 - 4 / 2", 5.0),
    ("7 // 2, 7 % 2, -7 // 2, 2 ** 10", (3, 1, -4, 1024)),
    ("(6 & 3) | 8 ^ 1, ~0, 1 << 4", (11, -1, 16)),
    ("1 < 2 <= 2 != 3", True),
    ("'a' in 'cat' and 3 not in [1, 2] and None is None", True),
    ("0 or '' or 'x'", "x"),
    ("'yes' if 2 > 1 else 'no'", "yes"),
    ("[x * x for x in range(5) if x % 2]", [1, 9]),
    ("{x % 3 for x in range(10)}", {0, 1, 2}),
    ("{k: v for k, v in zip('ab', [1, 2])}", {"a": 1, "b": 2}),
    ("sum(x for x in [1, 2, 3])", 6),
    ("[(i, j) for i in range(2) for j in 'ab']", [(0, "a"), (0, "b"), (1, "a"), (1, "b")]),
    ("[*[1, 2], *(3,)]", [1, 2, 3]),
    ("{**{'a': 1}, 'b': 2}", {"a": 1, "b": 2}),
    ("'abcdef'[1:4], 'abcdef'[::-2], [1, 2, 3][-1]", ("bcd", "fdb", 3)),
    ("f'{name!r:>8}|{n:.2f}|{n:{width}}|{d:%Y-%m}'", "   'Ann'|3.14|3.14159|2024-03"),
    ("'{} {x}'.format(1, x=2)", "1 2"),
    ("'%s-%05.1f' % ('a', 2.25)", "a-002.2"),
    ("' A,b '.strip().lower().split(',')", ["a", "b"]),
    ("'-'.join(['a', 'b']).upper().replace('-', '+')", "A+B"),
    ("{'a': 1}.get('b', 0) + len({'a': 1}.keys())", 1),
    ("sorted([3, 1, 2], reverse=True), max('ab', 'c', key=len)", ([3, 2, 1], "ab")),
    ("round(Decimal('2.675'), 2), Decimal('1.10') + Decimal('2.2')",
     (Decimal("2.68"), Decimal("3.30"))),
    ("(date(2024, 3, 1) - date(2024, 2, 1)).days", 29),
    ("(datetime(2024, 1, 31, 12) + timedelta(hours=13)).isoformat()", "2024-02-01T01:00:00"),
    ("date(2024, 3, 4).weekday(), timedelta(days=1).total_seconds()", (0, 86400.0)),
    ("datetime.fromisoformat('2024-01-02T03:04:05').hour", 3),
    ("dict(a=1), list('ab'), tuple([1]), set([1, 1]), int('7'), float('1.5'), str(1)",
     ({"a": 1}, ["a", "b"], (1,), {1}, 7, 1.5, "1")),
    ("abs(-2), divmod(7, 2), all([1, 1]), any([0]), bool(''), min([4, 2])",
     (2, (3, 1), True, False, False, 2)),
    ("list(enumerate('ab', 1)), list(reversed([1, 2]))", ([(1, "a"), (2, "b")], [2, 1])),
    ("size < 200", True),
])
def test_expressions_follow_python(expression: str, expected: Any) -> None:
    data = {"name": "Ann", "n": 3.14159, "width": "", "d": date(2024, 3, 9), "size": 150}
    assert ENV.evaluate(expression, data) == expected


def test_statements_assign_unpack_and_loop() -> None:
    data = run(
        "a, (b, *rest) = 1, [2, 3, 4]\n"
        "totals = {'x': [1]}\n"
        "totals['x'][0] += 5\n"
        "totals['y'] = totals.get('y', 0) + 1\n"
        "n: int = 0\n"
        "for i in range(10):\n"
        "    if i % 2:\n"
        "        continue\n"
        "    if i > 6:\n"
        "        break\n"
        "    n += i\n"
        "else:\n"
        "    n = -1\n"
        "while n > 5:\n"
        "    n -= 5\n"
        "items = [3, 1]\n"
        "items.append(2)\n"
        "items.sort()\n"
        "items[0:1] = ['a', 'b']\n"
        "del items[-1]\n"
        "tmp = 1\n"
        "del tmp\n"
        "pass\n",
    )
    assert data == {"a": 1, "b": 2, "rest": [3, 4], "totals": {"x": [6], "y": 1}, "n": 2,
                    "i": 8, "items": ["a", "b", 2]}


def test_list_plus_equals_keeps_aliasing_like_python() -> None:
    data = run("a = [1]\nb = a\na += [2]\nsame = b == [1, 2]")
    assert data["same"] is True


@pytest.mark.parametrize(("script", "error", "message", "line"), [
    ("x = 1\ny = missing + 1", NameError, "name 'missing' is not defined", 2),
    ("x = 1\n\ny = 'a' + 1", TypeError, "can only concatenate str", 3),
    ("x = {}['k']", KeyError, "'k'", 1),
    ("x = int('z')", ValueError, "invalid literal", 1),
    ("a, b = [1]", ValueError, "not enough values to unpack (expected 2, got 1)", 1),
    ("s = 'abc'\ns[0] = 'x'", TypeError, "'str' object does not support item assignment", 2),
    ("d = date(2024, 1, 1)\nd.year = 1", AttributeError, "cannot assign to attribute 'year'", 2),
    ("x = 1 / 0", ZeroDivisionError, "division by zero", 1),
])
def test_errors_keep_python_messages_and_the_line(
        script: str, error: type[Exception], message: str, line: int) -> None:
    with pytest.raises(error, match=None) as info:
        ENV.execute(script, {})
    assert message in str(info.value)
    assert error_line(info.value) == line


def test_failing_script_leaves_no_partial_assignment() -> None:
    data = {"nested": {"count": 1}}
    with pytest.raises(NameError):
        ENV.execute("nested['count'] = 2\nfirst = 1\nboom", data)
    assert data == {"nested": {"count": 1}}


def test_expressions_cannot_change_data() -> None:
    data = {"items": [1]}
    with pytest.raises(ScriptRefused, match="append"):
        ENV.evaluate("items.append(2) or True", data)
    assert data == {"items": [1]}


ESCAPES = [
    "__import__('os').system('true')",
    "().__class__.__base__.__subclasses__()",
    "(x for x in [1]).gi_frame.f_back",
    "[x for x in [1]].gi_frame",
    "open('/etc/passwd')",
    "getattr(x, '__class__')",
    "eval('1')",
    "exec('x=1')",
    "'abc'.__len__()",
    "x.mro()",
    "datetime.now.__self__",
    "type(1)",
    "[].__class__",
    "'{0.__class__}'.format(1)",
    "(lambda: 1)()",
    "len.__call__([])",
    "str.lower('A')",
    "'%*d' % (5, 1)",
]


@pytest.mark.parametrize("expression", ESCAPES)
def test_escapes_are_refused(expression: str) -> None:
    with pytest.raises(ScriptRefused):
        ENV.evaluate(expression, {"x": 1})


@pytest.mark.parametrize("expression", ESCAPES[:9])
def test_lint_refuses_escapes_before_running(expression: str) -> None:
    assert lint(expression, "eval") is not None


@pytest.mark.parametrize(("script", "construct"), [
    ("import os", "import"), ("from os import getpid", "import"), ("def f():\n    pass", "def"),
    ("class A:\n    pass", "class"), ("with x:\n    pass", "with"),
    ("try:\n    x = 1\nexcept Exception:\n    pass", "try"), ("global x", "global"),
    ("x = 1\nraise ValueError()", "raise"), ("f = lambda: 1", "lambda"),
    ("x = [y := 1]", ":="), ("x = b'bytes'", "bytes"), ("d = {}\nd.x = 1", "attribute 'x'"),
])
def test_statements_are_refused_with_construct_and_line(script: str, construct: str) -> None:
    with pytest.raises(ScriptRefused, match=construct) as info:
        ENV.execute(script, {})
    assert "(line " in str(info.value)


@pytest.mark.parametrize("expression", [
    "'x' * 10**10", "2 ** 10**10", "[0] * 10**9", "10**60 * 10**60", "1 << 10**6",
    "'x'.center(10**9)", "f'{1:>999999999}'", "'%999999999d' % 1", "range(10**10)",
    "str([[[0] * 1000] * 1000] * 1000)", "Decimal('1e99999999')", "round(5, -10**9)",
    "'ab'.replace('', 'x' * 10**6)", "''.join(['x' * 10**6, 'y'])",
    "-" * 100_000 + "1", "1" + " + 1" * 1000, "[" * 150 + "]" * 150,
])
def test_resource_bombs_are_stopped_quickly(expression: str) -> None:
    started = time.monotonic()
    with pytest.raises(ScriptLimitExceeded):
        ENV.evaluate(expression, {})
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("script", [
    "while True:\n    pass",
    "x = [1]\nfor i in range(100):\n    x.extend(x)",
    "keep = []\nfor i in range(10**5):\n    keep.append('y' * 10**5)",
    "a = [0] * 1000\nb = [a] * 1000\nc = [b] * 1000",
])
def test_loops_and_accumulation_are_bounded(script: str) -> None:
    data: dict[str, Any] = {}
    with pytest.raises(ScriptLimitExceeded):
        ENV.execute(script, data)
    assert data == {}


def test_step_budget_is_configurable() -> None:
    env = SandboxEnvironment(limits=Limits(steps=50))
    with pytest.raises(ScriptLimitExceeded, match="script exceeded 50 steps"):
        env.execute("for i in range(100):\n    x = i", {})


def test_functions_never_land_in_task_data() -> None:
    assert run("f = len\nn = len([1])") == {"n": 1}
    with pytest.raises(TypeError, match="cannot store"):
        ENV.execute("k = {'a': 1}.keys()", {})


def test_host_functions_can_be_added() -> None:
    env = SandboxEnvironment({"double": lambda v: v * 2})
    assert env.evaluate("double(21)", {}) == 42


def test_lint_reports_without_running() -> None:
    assert lint("x = ", "exec") == "invalid syntax (line 1)"
    assert lint("ok = 1\nimport os", "exec") == "import is not allowed (line 2)"
    assert lint("while True:\n    pass", "exec") is None
    assert lint("break", "exec") == "'break' outside loop (line 1)"
    assert lint("helper(1)", "eval") == "unknown function 'helper' (line 1)"
    assert lint("helper(1)", "eval", functions={"helper"}) is None
    assert lint("  amount > 10\n", "eval") is None
    assert ENV.evaluate("dmninputexpr < 5", {}, {"dmninputexpr": 3}) is True
    assert ENV.evaluate("now.year > 2000", {"now": datetime.now()}) is True


def test_comparing_aliased_containers_is_bounded() -> None:
    script = ("a1 = [0] * 999\na2 = [0] * 999\nb1 = [a1] * 999\nb2 = [a2] * 999\n"
              "c1 = []\nc2 = []\nfor i in range(50):\n    c1.append(b1)\n    c2.append(b2)\n"
              "same = c1 == c2")
    with pytest.raises(ScriptLimitExceeded) as info:
        ENV.execute(script, {})
    assert error_line(info.value) == 10


def test_evaluate_returns_a_copy_of_nested_data() -> None:
    data = {"items": [{"a": 1}]}
    ENV.evaluate("items", data)[0]["a"] = 2
    assert data == {"items": [{"a": 1}]}
