"""Service connectors: the offline default set, behind the engine's ServicePort."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from engine.core.ports import UnknownOperator

log = logging.getLogger(__name__)

Connector = Callable[..., Any]


class LocalServices:
    """A ServicePort that dispatches operators to registered Python callables.

    The default set works offline; deployments add real connectors with
    register(). Operators nobody registered are an UnknownOperator, which the
    engine turns into a clear error on that case.
    """

    def __init__(self) -> None:
        self._connectors: dict[str, Connector] = {}

    def register(self, operator: str, connector: Connector) -> None:
        self._connectors[operator] = connector

    def operators(self) -> list[str]:
        return sorted(self._connectors)

    def call(self, operator: str, params: dict[str, Any]) -> Any:
        connector = self._connectors.get(operator)
        if connector is None:
            raise UnknownOperator(operator)
        log.info("calling service %s", operator)
        return connector(**params)


def default_services() -> LocalServices:
    """Connectors that need no outside system."""
    services = LocalServices()
    services.register("local/echo", lambda **params: params)
    return services
