"""The parts of onething that hang off the engine core: after-step listeners and job kinds.

Each part registers itself when imported; ``load()`` imports them all once. The core
calls ``load()`` when an Engine is made, so a web server, a worker and a test see the
same listeners and job kinds.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from engine.models import Job

# a job kind's handler, given the Engine: handler(session, job)
JobHandlerFactory = Callable[[Any], Callable[[Session, Job], None]]
_job_kinds: dict[str, JobHandlerFactory] = {}

# modules that register listeners (engine.case_events.listen) or job kinds (job_kind)
MODULES: tuple[str, ...] = (
    # first: the listeners after it read the work items' filled-in titles
    "engine.casework.task_texts",
    "engine.service.notifications.case_messages", "engine.service.notifications.delivery",
    "engine.service.appointments",
    "engine.timelimits.clocks", "engine.timelimits.supervision",
)

_loaded = False


def job_kind(kind: str) -> Callable[[JobHandlerFactory], JobHandlerFactory]:
    """Register a job kind: the decorated function takes the Engine, returns the handler."""
    def register(factory: JobHandlerFactory) -> JobHandlerFactory:
        _job_kinds[kind] = factory
        return factory
    return register


def job_handlers(rt: Any) -> dict[str, Callable[[Session, Job], None]]:
    """The handlers of every registered job kind, bound to RT."""
    load()
    return {kind: factory(rt) for kind, factory in _job_kinds.items()}


def load() -> None:
    """Import every extension module once."""
    global _loaded
    if _loaded:
        return
    for name in MODULES:
        importlib.import_module(name)
    _loaded = True
