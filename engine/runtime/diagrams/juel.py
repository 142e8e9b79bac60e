"""Translate simple JUEL/EL expressions (Camunda 7, Activiti) and ISO timer texts to Python."""

from __future__ import annotations

import keyword
import re

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<num>\d+\.\d*(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<op>&&|\|\||==|!=|<=|>=|[<>!+\-*/%?:().\[\]])
""", re.VERBOSE)
_WRAPPED = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.DOTALL)
_WORD_OPS = {"and": "and", "or": "or", "eq": "==", "ne": "!=", "lt": "<", "gt": ">",
             "le": "<=", "ge": ">=", "div": "/", "mod": "%"}
_LITERALS = {"true": "True", "false": "False", "null": "None"}
_PRECEDENCE = {"or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, ">": 4, "<=": 4, ">=": 4,
               "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}
_SYMBOL_OPS = {"||": "or", "&&": "and"}
# A bare ISO 8601 duration (P3D, PT5M), date-time (2026-01-01T00:00:00Z) or cycle (R3/PT10M).
_ISO_TIMER = re.compile(
    r"^(R\d*/)?(P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"
    r"|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)"
    r"(/(P\S+|\d{4}-\S+))?$")


class JuelError(ValueError):
    """An EL expression that has no safe Python equivalent."""


def is_el(text: str) -> bool:
    """Return True when the text is one ${...} or #{...} expression."""
    return _WRAPPED.match(text) is not None


def is_iso_timer(text: str) -> bool:
    """Return True when the text is a bare ISO 8601 duration, date or cycle."""
    return _ISO_TIMER.match(text.strip()) is not None


def translate_timer(text: str) -> str:
    """Turn a BPMN timer body into Python: quote bare ISO text, translate ${...}."""
    body = text.strip()
    if is_el(body):
        return translate(body)
    if is_iso_timer(body):
        return repr(body)
    return text


def translate(text: str) -> str:
    """Translate one ${...}/#{...} (or bare) EL expression to Python, or raise JuelError."""
    match = _WRAPPED.match(text)
    body = match.group(1) if match else text
    if "${" in body or "#{" in body:
        raise JuelError("composite expressions (text mixed with ${...}) are not supported")
    parser = _Parser(_tokenize(body))
    python, _ = parser.ternary()
    if parser.peek() is not None:
        raise JuelError(f"unexpected {parser.peek()!r}")
    return python


def _tokenize(body: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    while pos < len(body):
        found = _TOKEN.match(body, pos)
        if found is None:
            raise JuelError(f"cannot read {body[pos:pos + 10]!r}")
        if found.lastgroup != "ws":
            tokens.append(found.group())
        pos = found.end()
    if not tokens:
        raise JuelError("empty expression")
    return tokens


class _Parser:
    """Recursive descent over EL tokens; each rule returns (python text, precedence)."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise JuelError(f"expected {expected or 'more'}, found {token or 'end'}")
        self.pos += 1
        return token

    def ternary(self) -> tuple[str, int]:
        condition = self.binary(1)
        if self.peek() != "?":
            return condition
        self.take("?")
        then = self.ternary()
        self.take(":")
        other = self.ternary()
        return f"{_wrap(then, 1)} if {_wrap(condition, 1)} else {_wrap(other, 0)}", 0

    def _operator(self) -> str | None:
        token = self.peek()
        if token is None:
            return None
        name = _SYMBOL_OPS.get(token) or _WORD_OPS.get(token) or token
        return name if name in _PRECEDENCE else None

    def binary(self, level: int) -> tuple[str, int]:
        if level > 6:
            return self.unary()
        left = self.binary(level + 1 if level != 2 else 4)
        while (op := self._operator()) is not None and _PRECEDENCE[op] == level:
            self.take()
            right = self.binary(level + 1 if level != 2 else 4)
            # Python chains comparisons (a < b < c); EL does not, so group the left side.
            left_min = level + 1 if level == 4 else level
            left = f"{_wrap(left, left_min)} {op} {_wrap(right, level + 1)}", level
        return left

    def unary(self) -> tuple[str, int]:
        token = self.peek()
        if token in ("!", "not"):
            self.take()
            return f"not {_wrap(self.unary(), 3)}", 3
        if token == "-":
            self.take()
            return f"-{_wrap(self.unary(), 7)}", 7
        if token == "empty":
            self.take()
            return f"{_wrap(self.unary(), 8)} in (None, '', [], {{}})", 4
        return self.postfix()

    def postfix(self) -> tuple[str, int]:
        text: str = self.primary()
        while self.peek() in (".", "[", "("):
            token = self.take()
            if token == "(":
                raise JuelError(f"method or function call {text}(...) cannot be translated")
            if token == ".":
                member = self.take()
                if not member.isidentifier():
                    raise JuelError(f"unexpected {member!r} after '.'")
                if self.peek() == "(":
                    raise JuelError(f"method call {text}.{member}(...) cannot be translated")
                text = f"{text}[{member!r}]"
            else:
                index, _ = self.ternary()
                self.take("]")
                text = f"{text}[{index}]"
        return text, 8

    def primary(self) -> str:
        token = self.take()
        if token == "(":
            inner, _ = self.ternary()
            self.take(")")
            return f"({inner})"
        if token[0] in "'\"":
            return repr(_unescape(token[1:-1]))
        if token[0].isdigit() or token[0] == ".":
            return token
        if token in _LITERALS:
            return _LITERALS[token]
        if token in _WORD_OPS or token in ("not", "empty", "instanceof"):
            raise JuelError(f"unexpected operator {token!r}")
        if "$" in token or keyword.iskeyword(token) or not token.isidentifier():
            raise JuelError(f"name {token!r} is not usable in Python")
        return token


def _wrap(node: tuple[str, int], minimum: int) -> str:
    text, precedence = node
    return text if precedence >= minimum else f"({text})"


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", r"\1", body)
