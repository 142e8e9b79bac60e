"""The Engine object: parsed specs per deployment, live workflows, script engine, limits."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from engine.core import clock, extensions
from engine.core.errors import NotFound
from engine.core.ports import ServicePort
from engine.models import Deployment, DeploymentFile
from engine.runtime import spiff_patches
from engine.runtime.diagrams import CompiledBundle, compile_bundle
from engine.runtime.long_case import MAX_TASKS
from engine.runtime.persistence import LiveCase, WorkflowCache
from engine.runtime.sandbox.timers import TIMER_FLOOR_SECONDS
from engine.runtime.script_engine import OnethingScriptEngine

log = logging.getLogger(__name__)

_SESSION_KEY = "onething.live_cases"


@dataclass(frozen=True)
class Limits:
    """Bounds that stop a runaway case with a clear error instead of hanging a worker."""

    # engine steps (tasks run by the engine) in one command
    steps_per_command: int = 10_000
    # tasks in one case's tree (engine/runtime/long_case.py explains the bound)
    tasks_per_case: int = MAX_TASKS
    # wall-clock seconds one command may run the engine; each evaluation of model text
    # inside it stops at the earlier of its own limit and this deadline
    seconds_per_command: float = 10.0
    # a timer cycle may not repeat, nor a timer a case loops through fire again, sooner
    # (engine/runtime/sandbox/timers.py; ONETHING_TIMER_FLOOR_SECONDS sets the default)
    timer_floor_seconds: float = TIMER_FLOOR_SECONDS
    # timer events one command may fire: a cycle catching up after the worker was down
    # fires once per interval missed, and each firing starts a branch of the process
    timers_per_command: int = 100


class SpecCache:
    """Compiled bundles per deployment id, parsed once per process."""

    def __init__(self) -> None:
        self._bundles: dict[int, CompiledBundle] = {}
        self._lock = threading.Lock()

    def get(self, session: Session, deployment_id: int) -> CompiledBundle:
        bundle = self._bundles.get(deployment_id)
        if bundle is not None:
            return bundle
        with self._lock:
            bundle = self._bundles.get(deployment_id)
            if bundle is None:
                rows = session.execute(
                    select(DeploymentFile.name, DeploymentFile.content)
                    .where(DeploymentFile.deployment_id == deployment_id)
                ).all()
                if not rows and session.get(Deployment, deployment_id) is None:
                    raise NotFound(f"deployment {deployment_id} not found")
                bundle = compile_bundle({name: bytes(content) for name, content in rows})
                self._bundles[deployment_id] = bundle
            return bundle

    def clear(self) -> None:
        with self._lock:
            self._bundles.clear()


class Engine:
    """Process-wide engine state shared by every command; holds no database session."""

    def __init__(self, services: ServicePort | None = None, limits: Limits | None = None,
                 cache_size: int = 256) -> None:
        spiff_patches.apply()
        clock.install_in_spiffworkflow()
        extensions.load()
        self.specs = SpecCache()
        self.workflows = WorkflowCache(cache_size)
        self.limits = limits or Limits()
        self.script_engine = OnethingScriptEngine(
            services=services, timer_floor=self.limits.timer_floor_seconds)
        # parsed guide.yaml per deployment, for checking answers at case start
        self.guides: dict[int, Any] = {}

    def hold(self, session: Session, live: LiveCase) -> None:
        """Return LIVE to the cache once SESSION commits; forget it on rollback."""
        session.info.setdefault(_SESSION_KEY, []).append((self.workflows, live))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    for cache, live in session.info.pop(_SESSION_KEY, []):
        cache.put(live)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_SESSION_KEY, None)


def spec_of(bundle: CompiledBundle, process_id: str) -> tuple[Any, dict[str, Any]]:
    try:
        return bundle.specs[process_id]
    except KeyError:
        raise NotFound(f"process '{process_id}' is not in this deployment") from None
