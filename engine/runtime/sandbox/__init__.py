"""Restricted interpreter for BPMN scripts, conditions, DMN cells, timers and multi-instance.

Model text is parsed with ast.parse and interpreted node by node; nothing is passed to
eval() or exec(). Only allow-listed syntax, functions, methods and attributes are
reachable, and every evaluation is bounded in steps, nesting, sizes and time.
"""

from engine.runtime.sandbox.builtins import BUILTINS
from engine.runtime.sandbox.checker import Mode, check, lint, parse
from engine.runtime.sandbox.environment import SandboxEnvironment
from engine.runtime.sandbox.interpreter import Interpreter, error_line
from engine.runtime.sandbox.limits import Budget, Limits
from engine.runtime.sandbox.statements import ScriptInterpreter
from engine.runtime.sandbox.values import STORABLE

__all__ = [
    "BUILTINS",
    "STORABLE",
    "Budget",
    "Interpreter",
    "Limits",
    "Mode",
    "SandboxEnvironment",
    "ScriptInterpreter",
    "check",
    "error_line",
    "lint",
    "parse",
]
