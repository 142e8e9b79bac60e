"""The recurring job that recomputes every running clock's warning level."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import clock
from engine.core.extensions import job_kind
from engine.models import CommitmentClock, Job
from engine.timelimits.clocks.operations import recompute

log = logging.getLogger(__name__)

KIND = "clock_levels"


def interval() -> timedelta:
    """How often levels are recomputed (ONETHING_CLOCK_RECHECK_MINUTES, default 30)."""
    return timedelta(minutes=float(os.environ.get("ONETHING_CLOCK_RECHECK_MINUTES", "30")))


def ensure_level_job(session: Session, now: datetime) -> None:
    """Make sure one level job is waiting (started with the first clock)."""
    waiting = session.scalar(select(Job.id).where(
        Job.kind == KIND, Job.status.in_(("pending", "running"))).limit(1))
    if waiting is None:
        session.add(Job(kind=KIND, case_id=None, key="", due_at=now + interval(),
                        status="pending", attempts=0, max_attempts=5, payload={},
                        created_at=now))


def recompute_all(session: Session, now: datetime) -> int:
    """Recompute every running clock; returns how many levels changed."""
    running = list(session.scalars(select(CommitmentClock).where(
        CommitmentClock.finished_at.is_(None)).order_by(CommitmentClock.id)))
    return recompute(session, running, now)


@job_kind(KIND)
def _handler(rt: Any) -> Callable[[Session, Job], None]:
    def run(session: Session, job: Job) -> None:
        now = clock.now()
        changed = recompute_all(session, now)
        log.info("clock levels recomputed: %s changed", changed)
        if session.scalar(select(CommitmentClock.id).where(
                CommitmentClock.finished_at.is_(None)).limit(1)) is not None:
            job.status, job.due_at, job.attempts = "pending", now + interval(), 0
            job.locked_by = job.lease_until = None
    return run
