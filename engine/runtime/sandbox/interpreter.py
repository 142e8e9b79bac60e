"""Evaluate checked expression trees over task data by walking the AST (no eval/exec)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from engine.core.errors import ScriptRefused
from engine.runtime.sandbox import hashing, operators, values
from engine.runtime.sandbox.limits import Budget

LINE_ATTR = "lineno"


def error_line(exc: BaseException) -> int | None:
    """Return the script line an error happened on, if the interpreter recorded it."""
    line = getattr(exc, LINE_ATTR, None)
    return line if isinstance(line, int) else None


def mark_line(exc: BaseException, line: int) -> None:
    """Record LINE on EXC unless a more precise (inner) line is already recorded."""
    if error_line(exc) is None:
        setattr(exc, LINE_ATTR, line)


def _mark(exc: BaseException, node: ast.AST) -> None:
    # The innermost node wins: outer nodes only fill a line in when none is set yet.
    if hasattr(node, "lineno"):
        mark_line(exc, node.lineno)


class Interpreter:
    """Evaluate expressions against DATA, EXTERNAL names and allow-listed FUNCTIONS."""

    def __init__(self, data: dict[str, Any], external: Mapping[str, Any] | None,
                 functions: Mapping[str, Callable[..., Any]], budget: Budget,
                 pure: bool = True) -> None:
        self.scopes: list[dict[str, Any]] = [data]
        self.external: Mapping[str, Any] = external or {}
        self.functions = functions
        self._callables = {id(f) for f in functions.values()}
        self.budget = budget
        self.pure = pure

    def evaluate(self, tree: ast.Expression) -> Any:
        """Return the value of a parsed and checked expression."""
        return self.expr(tree.body)

    def refuse(self, message: str, node: ast.AST) -> ScriptRefused:
        """Build a ScriptRefused naming the line of NODE."""
        error = ScriptRefused(f"{message} (line {getattr(node, 'lineno', 1)})")
        _mark(error, node)
        return error

    def expr(self, node: ast.expr) -> Any:
        """Evaluate one expression node, counting it against the budget."""
        return self.dispatch(node)

    def dispatch(self, node: ast.AST) -> Any:
        """Run the handler for NODE's type, counted against the budget; others are refused."""
        self.budget.step()
        self.budget.enter()
        try:
            handler = getattr(self, "_" + type(node).__name__, None)
            if handler is None:
                raise self.refuse(f"{type(node).__name__} is not allowed", node)
            return handler(node)
        except Exception as exc:
            _mark(exc, node)
            raise
        finally:
            self.budget.leave()

    def lookup(self, name: str) -> Any:
        """Return the value NAME refers to, innermost scope first, like Python."""
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name in self.external:
            return self.external[name]
        if name in self.functions:
            return self.functions[name]
        raise NameError(f"name '{name}' is not defined")

    def _Constant(self, node: ast.Constant) -> Any:
        return node.value

    def _Name(self, node: ast.Name) -> Any:
        return self.lookup(node.id)

    def _BoolOp(self, node: ast.BoolOp) -> Any:
        value: Any = None
        for operand in node.values:
            value = self.expr(operand)
            if isinstance(node.op, ast.And) != bool(value):
                return value
        return value

    def _BinOp(self, node: ast.BinOp) -> Any:
        left, right = self.expr(node.left), self.expr(node.right)
        return operators.binary(type(node.op), left, right, self.budget)

    def _UnaryOp(self, node: ast.UnaryOp) -> Any:
        return operators.UNARY[type(node.op)](self.expr(node.operand))

    def _Compare(self, node: ast.Compare) -> Any:
        left = self.expr(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.expr(comparator)
            if not operators.compare(type(op), left, right, self.budget):
                return False
            left = right
        return True

    def _IfExp(self, node: ast.IfExp) -> Any:
        return self.expr(node.body) if self.expr(node.test) else self.expr(node.orelse)

    def _elements(self, nodes: Iterable[ast.expr]) -> list[Any]:
        items: list[Any] = []
        for node in nodes:
            if isinstance(node, ast.Starred):
                starred = self.expr(node.value)
                self.budget.check_size(len(items) + len(starred))
                items.extend(starred)
            else:
                items.append(self.expr(node))
        self.budget.allocate(items)
        return items

    def _List(self, node: ast.List) -> list[Any]:
        return self._elements(node.elts)

    def _Tuple(self, node: ast.Tuple) -> tuple[Any, ...]:
        return tuple(self._elements(node.elts))

    def _Set(self, node: ast.Set) -> set[Any]:
        return hashing.build_set(self._elements(node.elts), self.budget)

    def _Dict(self, node: ast.Dict) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                merged = self.expr(value)
                if not isinstance(merged, dict):
                    raise TypeError(f"'{type(merged).__name__}' object is not a mapping")
                hashing.update_dict(result, self.budget, merged)
            else:
                hashing.store(result, self.expr(key), self.expr(value), self.budget)
        self.budget.allocate(result)
        return result

    def _Subscript(self, node: ast.Subscript) -> Any:
        container = self.expr(node.value)
        key = self.expr(node.slice)
        if type(key) is tuple and isinstance(container, dict):
            hashing.lookup(key, self.budget)
        result = container[key]
        if isinstance(node.slice, ast.Slice):
            self.budget.allocate(result)
        return result

    def _Slice(self, node: ast.Slice) -> slice:
        parts = (node.lower, node.upper, node.step)
        return slice(*(None if part is None else self.expr(part) for part in parts))

    def _Attribute(self, node: ast.Attribute) -> Any:
        value = self.expr(node.value)
        allowed, result = values.read_attribute(value, node.attr)
        if not allowed:
            raise self.refuse(
                f"attribute '{node.attr}' of {type(value).__name__} is not allowed", node)
        return result

    def _JoinedStr(self, node: ast.JoinedStr) -> str:
        parts = [self.expr(part) for part in node.values]
        # each field is bounded alone; together they could still be far too long
        self.budget.check_size(sum(len(part) for part in parts))
        result = "".join(parts)
        self.budget.allocate(result)
        return result

    def _FormattedValue(self, node: ast.FormattedValue) -> str:
        value = self.expr(node.value)
        spec = self.expr(node.format_spec) if node.format_spec is not None else ""
        return operators.render(value, spec, node.conversion, self.budget)

    def _Call(self, node: ast.Call) -> Any:
        if isinstance(node.func, ast.Attribute):
            return self._call_method(node, node.func)
        func = self.expr(node.func)
        args, kwargs = self._arguments(node)
        if not callable(func):
            raise TypeError(f"'{type(func).__name__}' object is not callable")
        if id(func) not in self._callables:
            raise self.refuse("calling this object is not allowed", node)
        return func(*args, **kwargs)

    def _call_method(self, node: ast.Call, func: ast.Attribute) -> Any:
        target = self.expr(func.value)
        bound = values.method(target, func.attr)
        if bound is None:
            raise self.refuse(
                f"method '{func.attr}' of {type(target).__name__} is not allowed", node)
        if self.pure and func.attr in values.MUTATING:
            raise self.refuse(f"method '{func.attr}' changes data in an expression", node)
        args, kwargs = self._arguments(node)
        return values.call_method(target, func.attr, bound, args, kwargs, self.budget)

    def _arguments(self, node: ast.Call) -> tuple[list[Any], dict[str, Any]]:
        args = self._elements(node.args)
        kwargs: dict[str, Any] = {}
        for keyword in node.keywords:
            value = self.expr(keyword.value)
            if keyword.arg is not None:
                kwargs[keyword.arg] = value
            elif isinstance(value, dict) and all(isinstance(k, str) for k in value):
                kwargs.update(value)
            else:
                raise TypeError("argument after ** must be a mapping with string keys")
        return args, kwargs

    def _comprehension(self, generators: list[ast.comprehension],
                       emit: Callable[[], None]) -> None:
        self.scopes.append({})
        try:
            self._generate(generators, 0, emit)
        finally:
            self.scopes.pop()

    def _generate(self, generators: list[ast.comprehension], index: int,
                  emit: Callable[[], None]) -> None:
        generator = generators[index]
        for item in self.expr(generator.iter):
            self.budget.step()
            self.bind(generator.target, item)
            if all(self.expr(condition) for condition in generator.ifs):
                if index + 1 == len(generators):
                    emit()
                else:
                    self._generate(generators, index + 1, emit)

    def _ListComp(self, node: ast.ListComp | ast.GeneratorExp) -> list[Any]:
        result: list[Any] = []
        self._comprehension(node.generators, lambda: result.append(self.expr(node.elt)))
        self.budget.allocate(result)
        return result

    # Generators become lists: a live generator object would expose gi_frame to scripts.
    _GeneratorExp = _ListComp

    def _SetComp(self, node: ast.SetComp) -> set[Any]:
        result: set[Any] = set()

        def emit() -> None:
            item = self.expr(node.elt)
            if type(item) is not str:
                hashing.admit(item, self.budget)
            result.add(item)

        self._comprehension(node.generators, emit)
        self.budget.allocate(result)
        return result

    def _DictComp(self, node: ast.DictComp) -> dict[Any, Any]:
        result: dict[Any, Any] = {}

        def emit() -> None:
            key = self.expr(node.key)
            hashing.store(result, key, self.expr(node.value), self.budget)

        self._comprehension(node.generators, emit)
        self.budget.allocate(result)
        return result

    def bind(self, target: ast.expr, value: Any) -> None:
        """Assign VALUE to a name or unpack it into a tuple/list of names."""
        if isinstance(target, ast.Name):
            self.scopes[-1][target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            self._unpack(target, value)
        else:
            raise self.refuse(f"assignment to {type(target).__name__} is not allowed", target)

    def _unpack(self, target: ast.Tuple | ast.List, value: Any) -> None:
        items = list(value)
        starred = [i for i, elt in enumerate(target.elts) if isinstance(elt, ast.Starred)]
        wanted = len(target.elts) - len(starred)
        if not starred and len(items) != wanted:
            if len(items) < wanted:
                raise ValueError(
                    f"not enough values to unpack (expected {wanted}, got {len(items)})")
            raise ValueError(f"too many values to unpack (expected {wanted})")
        if starred and len(items) < wanted:
            raise ValueError(
                f"not enough values to unpack (expected at least {wanted}, got {len(items)})")
        split = starred[0] if starred else len(items)
        tail = len(target.elts) - split - 1 if starred else 0
        for elt, item in zip(target.elts[:split], items[:split], strict=True):
            self.bind(elt, item)
        if starred:
            rest = items[split:len(items) - tail]
            self.bind(target.elts[split].value, rest)  # type: ignore[attr-defined]
            for elt, item in zip(target.elts[split + 1:], items[len(items) - tail:], strict=True):
                self.bind(elt, item)
