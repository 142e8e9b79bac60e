"""Restricted interpreter for BPMN scripts, conditions, DMN cells, timers and multi-instance.

Model text is parsed with ast.parse and interpreted node by node; nothing is passed to
eval() or exec(). Only allow-listed syntax, functions, methods and attributes are
reachable, and every evaluation is bounded in steps, nesting, sizes and time.
"""

from .builtins import BUILTINS
from .checker import Mode, check, lint, parse
from .environment import SandboxEnvironment
from .interpreter import Interpreter, error_line
from .limits import Budget, Limits
from .statements import ScriptInterpreter
from .values import STORABLE

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
