"""SpiffWorkflow script environment that interprets model text instead of eval/exec-ing it."""

from __future__ import annotations

import ast
import copy
import decimal
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from SpiffWorkflow.bpmn.script_engine.python_environment import (
    BasePythonScriptEngineEnvironment,
)

from engine.runtime.sandbox.builtins import BUILTINS
from engine.runtime.sandbox.checker import parse
from engine.runtime.sandbox.interpreter import Interpreter
from engine.runtime.sandbox.limits import DECIMAL_EXPONENT, Budget, Limits, activate, deactivate
from engine.runtime.sandbox.statements import ScriptInterpreter
from engine.runtime.sandbox.values import to_task_data


class SandboxEnvironment(BasePythonScriptEngineEnvironment):  # type: ignore[misc]
    """Evaluate expressions and run scripts in the sandbox, copy-on-write over task data."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None,
                 limits: Limits | None = None) -> None:
        super().__init__({**BUILTINS, **(functions or {})})
        self.functions: dict[str, Callable[..., Any]] = self.globals
        self.limits = limits or Limits()
        self._names = frozenset(self.functions)

    def evaluate(self, expression: str, context: Mapping[str, Any],
                 external_context: Mapping[str, Any] | None = None) -> Any:
        """Return the value of EXPRESSION over CONTEXT; expressions cannot change data."""
        tree = parse(expression, "eval", self.limits, self._names)
        assert isinstance(tree, ast.Expression)
        with self._bounded() as budget:
            # Read-only use of the live data is safe: pure mode refuses mutating methods.
            data = context if isinstance(context, dict) else dict(context)
            result = Interpreter(data, external_context, self.functions, budget).evaluate(tree)
        # The caller may store the result in another task (DMN outputs, multi-instance
        # items); a copy keeps that task's nested data from being shared with this one.
        return copy.deepcopy(result)

    def execute(self, script: str, context: dict[str, Any],
                external_context: Mapping[str, Any] | None = None) -> bool:
        """Run SCRIPT on a copy of CONTEXT and write the result back only if it succeeds."""
        tree = parse(script, "exec", self.limits, self._names)
        assert isinstance(tree, ast.Module)
        # SpiffWorkflow shares nested objects between a task and its predecessors, and
        # exec() would leave partial assignments behind on failure; a private copy fixes both.
        work = copy.deepcopy(context)
        with self._bounded() as budget:
            ScriptInterpreter(work, external_context, self.functions, budget,
                              pure=False).run(tree)
            stored = to_task_data(work, self.functions, self.limits, budget)
        context.clear()
        context.update(stored)
        return True

    def lint(self, source: str, mode: str) -> None:
        """Raise SyntaxError/ScriptRefused/ScriptLimitExceeded if SOURCE would be refused."""
        parse(source, "eval" if mode == "eval" else "exec", self.limits, self._names)

    @contextmanager
    def _bounded(self) -> Iterator[Budget]:
        budget = Budget(self.limits)
        token = activate(budget)
        try:
            with decimal.localcontext() as ctx:
                # Bounded exponents keep int(Decimal) and '{:f}' formatting small.
                ctx.Emax, ctx.Emin = DECIMAL_EXPONENT, -DECIMAL_EXPONENT
                yield budget
        finally:
            deactivate(token)
