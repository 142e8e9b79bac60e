"""Run checked script statements (assignments, if, bounded loops, del) over task data."""

from __future__ import annotations

import ast
import enum
from typing import Any

from engine.runtime.sandbox import hashing, operators
from engine.runtime.sandbox.interpreter import Interpreter


class _Flow(enum.Enum):
    BREAK = "break"
    CONTINUE = "continue"


# Only these containers accept item assignment and deletion from scripts.
_MUTABLE = (list, dict)


class ScriptInterpreter(Interpreter):
    """Execute a module of statements; assignments go to the data mapping."""

    def run(self, tree: ast.Module) -> None:
        """Execute every statement of a parsed and checked script."""
        self.block(tree.body)

    def block(self, statements: list[ast.stmt]) -> _Flow | None:
        """Execute statements in order; return a pending break/continue."""
        for statement in statements:
            flow = self.statement(statement)
            if flow is not None:
                return flow
        return None

    def statement(self, node: ast.stmt) -> _Flow | None:
        """Execute one statement, counting it against the budget."""
        flow: _Flow | None = self.dispatch(node)
        return flow

    def _Expr(self, node: ast.Expr) -> None:
        self.expr(node.value)

    def _Pass(self, node: ast.Pass) -> None:
        return None

    def _Break(self, node: ast.Break) -> _Flow:
        return _Flow.BREAK

    def _Continue(self, node: ast.Continue) -> _Flow:
        return _Flow.CONTINUE

    def _Assign(self, node: ast.Assign) -> None:
        value = self.expr(node.value)
        for target in node.targets:
            self.bind(target, value)

    def _AnnAssign(self, node: ast.AnnAssign) -> None:
        # The annotation is never evaluated: it is documentation for the reader.
        if node.value is not None:
            self.bind(node.target, self.expr(node.value))

    def _AugAssign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            current = self.lookup(target.id)
            value = self.expr(node.value)
            self.scopes[-1][target.id] = self._combine(node, current, value)
        elif isinstance(target, ast.Subscript):
            container = self.expr(target.value)
            key = self.expr(target.slice)
            if type(key) is tuple and isinstance(container, dict):
                hashing.lookup(key, self.budget)
            current = container[key]
            value = self.expr(node.value)
            self._store_item(container, key, self._combine(node, current, value))
        else:
            self._read_only(target)

    def _combine(self, node: ast.AugAssign, current: Any, value: Any) -> Any:
        return operators.binary(type(node.op), current, value, self.budget, inplace=True)

    def _If(self, node: ast.If) -> _Flow | None:
        return self.block(node.body if self.expr(node.test) else node.orelse)

    def _For(self, node: ast.For) -> _Flow | None:
        for item in self.expr(node.iter):
            self.budget.step()
            self.bind(node.target, item)
            if self.block(node.body) is _Flow.BREAK:
                return None
        return self.block(node.orelse)

    def _While(self, node: ast.While) -> _Flow | None:
        while self.expr(node.test):
            if self.block(node.body) is _Flow.BREAK:
                return None
        return self.block(node.orelse)

    def _Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                if target.id not in self.scopes[-1]:
                    raise NameError(f"name '{target.id}' is not defined")
                del self.scopes[-1][target.id]
            elif isinstance(target, ast.Subscript):
                container = self.expr(target.value)
                key = self.expr(target.slice)
                self._check_mutable(container, "deletion")
                if isinstance(container, dict):
                    hashing.lookup(key, self.budget)
                del container[key]

    def bind(self, target: ast.expr, value: Any) -> None:
        """Assign VALUE to a name, an item of a list/dict, or unpack it."""
        if isinstance(target, ast.Subscript):
            container = self.expr(target.value)
            self._store_item(container, self.expr(target.slice), value)
        elif isinstance(target, ast.Attribute):
            self._read_only(target)
        else:
            super().bind(target, value)

    def _store_item(self, container: Any, key: Any, value: Any) -> None:
        self._check_mutable(container, "assignment")
        if isinstance(container, dict):
            hashing.store(container, key, value, self.budget)
            return
        if isinstance(key, slice):
            self.budget.check_size(len(container) + len(value))
        container[key] = value

    def _check_mutable(self, container: Any, what: str) -> None:
        if not isinstance(container, _MUTABLE):
            raise TypeError(f"'{type(container).__name__}' object does not support item {what}")

    def _read_only(self, target: ast.Attribute) -> None:
        owner = self.expr(target.value)
        # No allow-listed type has writable attributes, so Python would refuse this too.
        raise AttributeError(
            f"cannot assign to attribute '{target.attr}' of '{type(owner).__name__}' object")
