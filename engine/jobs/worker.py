"""The worker loop: claim due jobs and run them, until told to stop."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from engine.core import clock
from engine.core.db import unit_of_work
from engine.jobs import table as jobs
from engine.jobs.timers import handlers
from engine.runtime.engine import Engine

log = logging.getLogger(__name__)


class Worker:
    """Runs jobs for one engine; several workers may share one PostgreSQL database."""

    def __init__(self, rt: Engine, factory: sessionmaker[Session], *, name: str | None = None,
                 poll_seconds: float = 0.5, batch: int = 10) -> None:
        self.rt = rt
        self.factory = factory
        self.name = name or jobs.worker_name()
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.stop_event = threading.Event()
        self._handlers: dict[str, Any] = handlers(rt)

    def run_once(self) -> int:
        """Claim and run what is due now; return how many jobs were run."""
        with unit_of_work(self.factory) as session:
            claimed = jobs.claim(session, self.name, limit=self.batch)
        for job_id in claimed:
            outcome = jobs.run_one(self.factory, job_id, self.name, self._handlers)
            log.debug("job %s: %s", job_id, outcome)
        return len(claimed)

    def run_forever(self) -> None:
        log.info("worker %s started", self.name)
        while not self.stop_event.is_set():
            try:
                ran = self.run_once()
            except Exception:  # noqa: BLE001 - keep polling through database hiccups
                log.exception("worker %s: polling failed", self.name)
                ran = 0
            if ran == 0:
                self.stop_event.wait(self._sleep_time())
        log.info("worker %s stopped", self.name)

    def _sleep_time(self) -> float:
        try:
            with unit_of_work(self.factory) as session:
                due = jobs.next_due(session)
        except Exception:  # noqa: BLE001
            return self.poll_seconds
        if due is None:
            return self.poll_seconds
        return max(0.02, min(self.poll_seconds, (due - clock.now()).total_seconds()))

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, name=f"worker-{self.name}",
                                  daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stop_event.set()


def run_until_idle(worker: Worker, max_rounds: int = 100) -> int:
    """Run rounds until nothing is due (tests and the CLI's --once)."""
    total = 0
    for _ in range(max_rounds):
        ran = worker.run_once()
        total += ran
        if ran == 0:
            return total
        time.sleep(0)
    return total
