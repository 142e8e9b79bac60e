"""JUEL/EL and ISO timer texts translate to Python, or are refused with a reason."""

from __future__ import annotations

import ast

import pytest

from engine.runtime.diagrams.juel import JuelError, is_el, translate, translate_timer

TABLE = [
    ("${approved}", "approved"),
    ("#{!approved}", "not approved"),
    ("${amount > 1000 && x == 'a'}", "amount > 1000 and x == 'a'"),
    ("${x eq 'y'}", "x == 'y'"),
    ("${a ne b || c lt 1 and d ge 2}", "a != b or c < 1 and d >= 2"),
    ("${empty x}", "x in (None, '', [], {})"),
    ("${not empty items}", "not items in (None, '', [], {})"),
    ("${not ok}", "not ok"),
    ("${!a == b}", "(not a) == b"),
    ("${a < b < c}", "(a < b) < c"),
    ("true", "True"),
    ("false", "False"),
    ("null", "None"),
    ("${order.total div 2 mod 3}", "order['total'] / 2 % 3"),
    ("${items[0].name}", "items[0]['name']"),
    ('${x ? "yes" : "no"}', "'yes' if x else 'no'"),
    ("${-(a + b) * 2}", "-(a + b) * 2"),
    ("${ phaseAction == 'COMPLETE' || phaseAction == 'AUTOMATIC' } ",
     "phaseAction == 'COMPLETE' or phaseAction == 'AUTOMATIC'"),
]


@pytest.mark.parametrize("el, python", TABLE, ids=[t[0] for t in TABLE])
def test_translation_table(el: str, python: str) -> None:
    assert translate(el) == python
    ast.parse(python, mode="eval")


@pytest.mark.parametrize("el", [
    "${execution.getVariable('x')}",
    "${someBean.check()}",
    "${check(x)}",
    "Hello ${name}",
    "${$x}",
    "${class}",
    "${}",
    "${a instanceof b}",
    "${a &amp; b}",
])
def test_untranslatable_expressions_raise(el: str) -> None:
    with pytest.raises(JuelError):
        translate(el)


def test_is_el() -> None:
    assert is_el(" ${x} ") and is_el("#{y}")
    assert not is_el("x > 1") and not is_el("'${x}'")


@pytest.mark.parametrize("text, python", [
    ("PT5M", "'PT5M'"),
    ("P3D", "'P3D'"),
    ("2026-01-01T00:00:00Z", "'2026-01-01T00:00:00Z'"),
    ("R3/PT10M", "'R3/PT10M'"),
    ("${sla}", "sla"),
    ('"PT1H"', '"PT1H"'),
    ("sla_duration", "sla_duration"),
    ("P", "P"),
])
def test_timer_translation(text: str, python: str) -> None:
    assert translate_timer(text) == python
