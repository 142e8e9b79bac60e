"""The engine's one error hierarchy; web/ maps each class to an HTTP status.

An error a person may read is raised with ``of``: an English TEXT with ``%(name)s``
places and the PARAMS that fill them, e.g.
``Forbidden.of("%(user)s may not work task %(task)s", user=name, task=task_id)``.
``message`` is the filled-in English (the API's detail, the logs); pages translate TEXT
through their catalogue (TEXT is the msgid) and fill in the same PARAMS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self


class OnethingError(Exception):
    """Base of every error the engine raises on purpose."""

    status = 400
    title = "Bad request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        # the translatable template of MESSAGE and its parameters, when raised with `of`
        self.text: str | None = None
        self.params: dict[str, Any] = {}

    @classmethod
    def of(cls, text: str, /, *args: Any, **params: Any) -> Self:
        """An error whose message is TEXT filled with PARAMS (ARGS go to the constructor
        after the message, e.g. the field errors of InvalidInput)."""
        err = cls(text % params if params else text, *args)
        err.text = text
        err.params = params
        return err

    def details(self) -> dict[str, Any]:
        """Extra members for a problem+json body."""
        return {}


@dataclass(frozen=True)
class Problem:
    """One problem in a diagram: where it is and what is wrong."""

    file: str
    message: str
    line: int | None = None
    element: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        if self.element:
            where += f": {self.element}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "element": self.element,
                "message": self.message}


class DiagramInvalid(OnethingError):
    """A BPMN/DMN file (or a bundle) cannot be deployed."""

    status = 422
    title = "Diagram invalid"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems) or "diagram invalid")

    def details(self) -> dict[str, Any]:
        return {"problems": [p.as_dict() for p in self.problems]}


class NotFound(OnethingError):
    status = 404
    title = "Not found"


class Conflict(OnethingError):
    status = 409
    title = "Conflict"


class TaskNotReady(Conflict):
    title = "Task not ready"


class Forbidden(OnethingError):
    status = 403
    title = "Forbidden"


class Unauthorized(OnethingError):
    status = 401
    title = "Unauthorized"


@dataclass
class FieldError:
    """One wrong field: its path and an English MESSAGE; KIND (a JSON Schema keyword such
    as required, minLength, pattern) and PARAMS (limit, title, hint ...) let a page say it
    in its own language."""

    path: str
    message: str
    kind: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "message": self.message}
        if self.kind:
            out["kind"] = self.kind
            out["params"] = self.params
        return out


class InvalidInput(OnethingError):
    """Input that fails validation; names each field that is wrong."""

    status = 422
    title = "Invalid input"

    def __init__(self, message: str, fields: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.fields = fields or []

    def details(self) -> dict[str, Any]:
        if not self.fields:
            return {}
        return {"fields": [f.as_dict() for f in self.fields]}


@dataclass
class ScriptProblem:
    """Where a script or expression went wrong inside a case."""

    element: str | None
    message: str
    line: int | None = None
    notes: list[str] = field(default_factory=list)


class ScriptRefused(OnethingError):
    """A script or expression uses something the sandbox does not allow."""

    status = 422
    title = "Script refused"


class ScriptLimitExceeded(OnethingError):
    """A script or a case went past a bound (steps, size, depth)."""

    status = 422
    title = "Limit exceeded"


class TooLarge(OnethingError):
    status = 413
    title = "Payload too large"


class Throttled(OnethingError):
    """Too many failed sign-ins (or unknown tokens) for an account or a client address.

    SCOPE says which limit was reached (account, address); RETRY_AFTER is how many seconds
    remain until the next attempt is counted again.
    """

    status = 429
    title = "Too many requests"

    def __init__(self, message: str, *, scope: str, retry_after: int) -> None:
        super().__init__(message)
        self.scope = scope
        self.retry_after = max(1, retry_after)

    def details(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after}
