"""The template language of task titles and instructions: escaped, sandboxed, bounded."""

from __future__ import annotations

import pytest

from engine.design.guides import Text
from engine.design.task_text import (
    BLANK,
    MAX_TEXT,
    Names,
    check,
    render_html,
    render_text,
    without_markup,
)

NAMES = Names({"id_card": Text("申请人身份证", "ID card"),
               "layout_plan": Text("平面布局图", "Floor plan")},
              {"MS-010": Text("食品经营许可", "Food-business permit")})


def test_item_and_material_codes_read_as_names() -> None:
    said = render_text("审查：{{ item_code | item }}；补齐：{{ missing | materials }}",
                       {"item_code": "MS-010", "missing": ["id_card", "layout_plan"]}, NAMES)
    assert said == "审查：食品经营许可（MS-010）；补齐：申请人身份证、平面布局图"


def test_names_follow_the_language_and_an_unknown_code_stays_itself() -> None:
    assert render_text("{{ c | item }}", {"c": "MS-010"}, NAMES, lang="en") == \
        "Food-business permit（MS-010）"
    assert render_text("{{ m | materials }}", {"m": ["id_card", "zz"]}, NAMES) == \
        "申请人身份证、zz"


def test_values_are_escaped_in_html_and_kept_in_text() -> None:
    data = {"reason": "<script>alert(1)</script> & co"}
    assert "<script>" not in render_html("理由：{{ reason }}", data)
    assert "&lt;script&gt;" in render_html("理由：{{ reason }}", data)
    assert render_text("理由：{{ reason }}", data) == "理由：" + data["reason"]


def test_unknown_or_empty_names_read_as_not_filled_in() -> None:
    said = render_text("{{ nobody }}|{{ empty }}|{{ nobody.deeper.still }}|{{ nothing }}",
                       {"empty": "", "nothing": None})
    assert said == "|".join([BLANK] * 4)


def test_plain_text_stays_as_it_is() -> None:
    text = "按一次性告知单一次补齐 {braces} 100% <b>"
    assert render_text(text, {"x": 1}) == text


@pytest.mark.parametrize("source", [
    "{{ ''.__class__ }}", "{{ ''.__class__.__mro__ }}", "{{ x.__dict__ }}",
    "{{ x.__class__.__init__.__globals__ }}", "{{ cycler }}", "{{ range }}",
])
def test_the_sandbox_gives_no_python_objects(source: str) -> None:
    said = render_text(source, {"x": {"a": 1}})
    assert said == BLANK
    assert "class" not in said and "function" not in said


@pytest.mark.parametrize("source, why", [
    ("{{ ''.join(x) }}", "calls"),
    ("{{ 'a' * 1000000000 }}", "multiplication"),
    ("{{ 9 ** 99999999 }}", "powers"),
    ("{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}", "loop inside a loop"),
    ("{% macro m() %}{{ m() }}{% endmacro %}", "macros"),
    ("{% include 'x' %}", "includes"),
    ("{{ x | center(1000000000) }}", "No filter named 'center'"),
    ("{{ x ", "does not parse"),
])
def test_unbounded_or_broken_constructs_are_refused(source: str, why: str) -> None:
    found = check(source)
    assert found.error is not None and why in found.error
    # at run time a refused text is shown as written, never evaluated
    assert render_text(source, {"x": "y", "l": list(range(10))}) == source


def test_output_is_cut_at_the_limit() -> None:
    said = render_text("{% for a in l %}{{ a }}十个字的一句话。{% endfor %}",
                       {"l": list(range(100_000))})
    assert len(said) == MAX_TEXT and said.endswith("…")
    assert len(render_text("{{ t }}", {"t": "x" * 10_000}, limit=300)) == 300


def test_the_names_a_text_reads_are_found() -> None:
    found = check("{{ a | item }}{% if b == 'x' %}{{ c.d }}{% endif %}{% set e = 1 %}{{ e }}"
                  "{% for f in g %}{{ f }}{% endfor %}")
    assert found.error is None and found.names == {"a", "b", "c", "g"}


def test_where_no_case_fills_it_in_the_markup_is_taken_out() -> None:
    title = "部门审查决定：{{ item_code | item }} Department decides item {{ item_code }}"
    assert without_markup(title) == "部门审查决定 Department decides item"
    assert without_markup("{% if x %}甲{% endif %}乙") == "甲 乙"
    assert without_markup("受理审查 Check materials") == "受理审查 Check materials"
