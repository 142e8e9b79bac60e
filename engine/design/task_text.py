"""Task titles and instructions written as templates and filled in with the case's values.

A diagram's task name or ``<bpmn:documentation>`` may hold Jinja2 expressions:
``主管部门审查本事项：{{ item_code | item }}``, ``退回理由：{{ return_reason }}``,
``{{ missing_materials | materials }}``. The text is rendered once, with the task's
data, when its work item is made. Text without ``{{`` or ``{%`` is left as it is.

The language is small on purpose: no function calls, no macros, includes or
imports, no multiplication or powers, no loop inside a loop, and only the filters
below, so rendering is bounded by the size of the data and of the template; the
output is cut at a fixed length. The sandbox refuses attributes such as
``__class__``; a name that is not set, or set to nothing, reads ``（未填写）``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import ChainableUndefined, TemplateSyntaxError, nodes
from jinja2.meta import find_undeclared_variables
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from engine.design.guides import Guide, Text

log = logging.getLogger(__name__)

# what a name without a value reads
BLANK = "（未填写）"
MAX_TEXT = 4000
MAX_TITLE = 300
_ELLIPSIS = "…"
# constructs refused: each could make one render run long or grow without bound
_REFUSED: dict[type[nodes.Node], str] = {
    nodes.Call: "function and method calls", nodes.Macro: "macros",
    nodes.CallBlock: "call blocks", nodes.FilterBlock: "filter blocks",
    nodes.Include: "includes", nodes.Import: "imports", nodes.FromImport: "imports",
    nodes.Extends: "extends", nodes.Mul: "multiplication", nodes.Pow: "powers",
    nodes.Mod: "the % operator",
}


@dataclass(frozen=True)
class Names:
    """Names for the codes a template may show: materials and items of one bundle."""

    materials: Mapping[str, Text] = field(default_factory=dict)
    items: Mapping[str, Text] = field(default_factory=dict)


NO_NAMES = Names()
_names: ContextVar[tuple[Names, str]] = ContextVar("task_text_names", default=(NO_NAMES, "zh"))


def names_of(guide: Guide | None) -> Names:
    """The material and item names of GUIDE (none without a guide)."""
    if guide is None:
        return NO_NAMES
    return Names({m.id: m.name for m in guide.materials}, {i.code: i.name for i in guide.items})


class _Blank(ChainableUndefined):
    """An unknown name (or an attribute of one) reads as the blank marker."""

    __slots__ = ()

    def __str__(self) -> str:
        return BLANK

    def __html__(self) -> str:
        return BLANK


def _codes(value: Any) -> list[str]:
    if value is None or isinstance(value, _Blank) or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return [str(v) for v in value]
    return [str(value)]


def _name(table: Mapping[str, Text], code: str, lang: str) -> str | None:
    found = table.get(code)
    return found.get(lang) if found is not None else None


def _materials(value: Any) -> str:
    names, lang = _names.get()
    shown = [_name(names.materials, c, lang) or c for c in _codes(value)]
    return "、".join(shown) if shown else BLANK


def _item(value: Any) -> str:
    names, lang = _names.get()
    shown = []
    for code in _codes(value):
        name = _name(names.items, code, lang)
        shown.append(f"{name}（{code}）" if name else code)
    return "、".join(shown) if shown else BLANK


def _finalize(value: Any) -> Any:
    if value is None or value == "" or value == []:
        return BLANK
    return value


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, loader=None, undefined=_Blank,
                               finalize=_finalize, auto_reload=False, cache_size=0)
    kept = ("default", "d", "join", "length", "count", "first", "last", "lower", "upper",
            "trim", "string", "e", "escape", "int", "round", "list")
    env.filters = {name: env.filters[name] for name in kept}
    env.filters.update(materials=_materials, items=_item, item=_item)
    env.tests = {name: env.tests[name] for name in ("defined", "undefined", "none", "in",
                                                     "eq", "ne", "number", "string")}
    env.globals.clear()
    return env


_ENV = _environment()


def is_template(text: str | None) -> bool:
    """Whether TEXT holds template markup at all."""
    return bool(text) and ("{{" in str(text) or "{%" in str(text))


_MARKUP = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def without_markup(text: str) -> str:
    """TEXT with its template markup taken out, for where no case fills it in (a diagram):
    "部门审查决定：{{ item_code | item }}" reads "部门审查决定"."""
    if not is_template(text):
        return text
    plain = _MARKUP.sub(" ", text)
    plain = re.sub(r"[：:、，,（(]\s*(?=\s|$)", " ", plain)
    return re.sub(r"\s+", " ", plain).strip()


def _refusal(tree: nodes.Template) -> str | None:
    for node in tree.find_all(nodes.Node):
        for kind, what in _REFUSED.items():
            if isinstance(node, kind):
                return f"{what} are not allowed in a task text"
        if isinstance(node, nodes.For):
            if node.recursive:
                return "recursive loops are not allowed in a task text"
            if any(True for _ in node.find_all(nodes.For)):
                return "a loop inside a loop is not allowed in a task text"
    return None


@dataclass(frozen=True)
class Checked:
    """What a task text is: its error (syntax or a refused construct) and the names it reads."""

    error: str | None
    names: frozenset[str] = frozenset()


@lru_cache(maxsize=512)
def check(source: str) -> Checked:
    """Parse SOURCE; say what is wrong with it, or which variables it reads."""
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as exc:
        return Checked(f"task text does not parse (line {exc.lineno}): {exc.message}")
    # before compiling: the compiler folds constants, and 9 ** 99999999 would never end
    refused = _refusal(tree)
    if refused:
        return Checked(refused)
    try:
        _ENV.compile(tree)  # unknown filters and tests are found here
    except TemplateSyntaxError as exc:
        return Checked(f"task text does not parse (line {exc.lineno}): {exc.message}")
    return Checked(None, frozenset(find_undeclared_variables(tree)))


@lru_cache(maxsize=512)
def _template(source: str) -> Any:
    return _ENV.from_string(source)


def render_html(source: str, data: Mapping[str, Any], names: Names = NO_NAMES, *,
                lang: str = "zh", limit: int = MAX_TEXT) -> Markup:
    """SOURCE filled in with DATA, as escaped HTML of at most LIMIT characters.

    A text that is refused (deploy reports why) is returned as it is, escaped."""
    if not is_template(source):
        return Markup.escape(source)[:limit]
    if check(source).error is not None:
        return Markup.escape(source)[:limit]
    token = _names.set((names, lang))
    parts: list[str] = []
    size = 0
    try:
        for chunk in _template(source).generate(
                {k: v for k, v in data.items() if isinstance(k, str)}):
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                break
    except Exception as exc:  # noqa: BLE001 - a text that fails to render must not stop the case
        log.warning("task text failed to render: %s", exc)
        return Markup.escape(source)[:limit]
    finally:
        _names.reset(token)
    out = "".join(parts)
    if len(out) > limit:
        # never cut inside an entity: cut the plain text, then escape again
        plain = Markup(out).unescape()[:limit - 1] + _ELLIPSIS
        return Markup.escape(plain)
    return Markup(out)


def render_text(source: str, data: Mapping[str, Any], names: Names = NO_NAMES, *,
                lang: str = "zh", limit: int = MAX_TEXT) -> str:
    """SOURCE filled in with DATA as plain text (pages escape it when they show it)."""
    if not is_template(source):
        return source
    return Markup(render_html(source, data, names, lang=lang, limit=limit)).unescape()[:limit]
