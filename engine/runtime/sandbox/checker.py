"""Parse scripts and refuse disallowed constructs before anything runs."""

from __future__ import annotations

import ast
from collections.abc import Collection
from functools import lru_cache
from typing import Literal

from engine.core.errors import OnethingError, ScriptLimitExceeded, ScriptRefused
from engine.runtime.sandbox.builtins import BUILTINS
from engine.runtime.sandbox.interpreter import mark_line
from engine.runtime.sandbox.limits import Limits
from engine.runtime.sandbox.values import ALL_ATTRIBUTE_NAMES, MUTATING

Mode = Literal["eval", "exec"]

_EXPRESSIONS: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.IfExp, ast.Dict, ast.Set,
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Compare, ast.Call,
    ast.FormattedValue, ast.JoinedStr, ast.Constant, ast.Attribute, ast.Subscript,
    ast.Starred, ast.Name, ast.List, ast.Tuple, ast.Slice, ast.comprehension, ast.keyword,
    ast.expr_context, ast.boolop, ast.unaryop, ast.cmpop, ast.operator,
)
_STATEMENTS: tuple[type[ast.AST], ...] = (
    ast.Module, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.If, ast.For,
    ast.While, ast.Break, ast.Continue, ast.Pass, ast.Delete,
)
_NAMES = {
    "Import": "import", "ImportFrom": "import", "FunctionDef": "def",
    "AsyncFunctionDef": "async def", "Lambda": "lambda", "ClassDef": "class", "With": "with",
    "AsyncWith": "async with", "Try": "try", "TryStar": "try", "Global": "global",
    "Nonlocal": "nonlocal", "Yield": "yield", "YieldFrom": "yield from", "Await": "await",
    "Raise": "raise", "Assert": "assert", "Return": "return", "NamedExpr": "':='",
    "Match": "match", "AsyncFor": "async for", "MatMult": "'@'",
}


@lru_cache(maxsize=4096)
def parse(source: str, mode: Mode, limits: Limits, functions: frozenset[str]) -> ast.AST:
    """Parse SOURCE and check it; raise SyntaxError, ScriptRefused or ScriptLimitExceeded.

    Trees are cached and shared: the interpreter never modifies them.
    """
    if len(source) > limits.source_chars:
        raise ScriptLimitExceeded(f"script is longer than {limits.source_chars} characters")
    try:
        # eval() ignores surrounding blanks, and XML conditions often have them.
        tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
    except (RecursionError, MemoryError) as exc:
        # CPython's parser reports very deep nesting this way; it is a bound, not a crash.
        raise ScriptLimitExceeded("script is nested too deeply to parse") from exc
    check(tree, mode, limits, functions)
    return tree


def lint(source: str, mode: Mode, functions: Collection[str] = (),
         limits: Limits | None = None) -> str | None:
    """Return why SOURCE would fail to parse or be refused, or None; never run it."""
    try:
        parse(source, mode, limits or Limits(), frozenset(BUILTINS) | frozenset(functions))
    except SyntaxError as exc:
        return f"{exc.msg} (line {exc.lineno})"
    except OnethingError as exc:
        return exc.message
    return None


def check(tree: ast.AST, mode: Mode, limits: Limits, functions: Collection[str]) -> None:
    """Walk TREE without recursion and refuse anything the interpreter does not allow."""
    allowed = _EXPRESSIONS if mode == "eval" else _EXPRESSIONS + _STATEMENTS
    stack: list[tuple[ast.AST, int, bool]] = [(tree, 0, False)]
    while stack:
        node, depth, in_loop = stack.pop()
        line = getattr(node, "lineno", None) or 1
        try:
            if depth > limits.depth:
                raise ScriptLimitExceeded(
                    f"script nested deeper than {limits.depth} levels (line {line})")
            if not isinstance(node, allowed) or isinstance(node, ast.MatMult):
                what = _NAMES.get(type(node).__name__, type(node).__name__)
                raise ScriptRefused(f"{what} is not allowed (line {line})")
            _check_node(node, mode, line, in_loop, functions)
        except OnethingError as exc:
            mark_line(exc, line)
            raise
        body = {id(s) for s in node.body} if isinstance(node, (ast.For, ast.While)) else set()
        children = list(ast.iter_child_nodes(node))
        # Pushed in reverse so the first problem in source order is the one reported.
        for child in reversed(children):
            stack.append((child, depth + 1, in_loop or id(child) in body))


def _check_node(node: ast.AST, mode: Mode, line: int, in_loop: bool,
                functions: Collection[str]) -> None:
    name = None
    if isinstance(node, ast.Name):
        name = node.id
    elif isinstance(node, ast.Attribute):
        name = node.attr
        if not name.startswith("_") and name not in ALL_ATTRIBUTE_NAMES:
            raise ScriptRefused(f"attribute '{name}' is not allowed (line {line})")
    elif isinstance(node, ast.keyword):
        name = node.arg
    if name is not None and name.startswith("_"):
        raise ScriptRefused(f"name '{name}' starting with '_' is not allowed (line {line})")
    if isinstance(node, ast.Call):
        _check_call(node, mode, line, functions)
    elif isinstance(node, ast.Constant) and not isinstance(
            node.value, (str, int, float, bool, type(None))):
        raise ScriptRefused(f"{type(node.value).__name__} literals are not allowed (line {line})")
    elif isinstance(node, (ast.Break, ast.Continue)) and not in_loop:
        word = "break" if isinstance(node, ast.Break) else "continue"
        raise SyntaxError(f"'{word}' outside loop", ("<script>", line, 1, None))
    elif isinstance(node, ast.comprehension) and node.is_async:
        raise ScriptRefused(f"async comprehensions are not allowed (line {line})")
    elif isinstance(node, ast.Delete) and not all(
            isinstance(t, (ast.Name, ast.Subscript)) for t in node.targets):
        raise ScriptRefused(f"del of this target is not allowed (line {line})")


def _check_call(node: ast.Call, mode: Mode, line: int, functions: Collection[str]) -> None:
    func = node.func
    if isinstance(func, ast.Name):
        if func.id not in functions and not func.id.startswith("_"):
            raise ScriptRefused(f"unknown function '{func.id}' (line {line})")
    elif isinstance(func, ast.Attribute):
        if mode == "eval" and func.attr in MUTATING:
            raise ScriptRefused(
                f"method '{func.attr}' changes data; not allowed in an expression (line {line})")
    else:
        raise ScriptRefused(f"only named functions and methods can be called (line {line})")
