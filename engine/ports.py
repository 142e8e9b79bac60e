"""Small interfaces to outside systems; adapters/ implements them."""

from __future__ import annotations

from typing import Any, Protocol


class UnknownOperator(LookupError):
    """No connector is configured for a service operator."""


class ServicePort(Protocol):
    """Calls an outside system for a BPMN service task."""

    def call(self, operator: str, params: dict[str, Any]) -> Any:
        """Run OPERATOR with PARAMS and return a JSON-serialisable result.

        Raises UnknownOperator when nothing handles OPERATOR; any other
        exception is a failure of the outside system (retried if configured).
        """
        ...
