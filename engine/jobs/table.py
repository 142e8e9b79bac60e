"""The job table: claim due jobs under a lease, run each in its own transaction.

Claiming and running are separate transactions. A worker that dies after
claiming leaves a lease that expires, and another worker retakes the job. The
run transaction locks the job row and checks the lease is still its own, so a
job's effect is committed at most once per due time.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from engine.core import clock
from engine.core.db import unit_of_work
from engine.models import Job

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=float(os.environ.get("ONETHING_JOB_LEASE_SECONDS", "30")))
Handler = Callable[[Session, Job], None]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def claim(session: Session, worker: str, *, limit: int = 10,
          now: datetime | None = None) -> list[int]:
    """Lease up to LIMIT due jobs (pending, or running with an expired lease) to WORKER."""
    now = now or clock.now()
    due = (select(Job).where(
        Job.due_at <= now,
        or_(Job.status == "pending", (Job.status == "running") & (Job.lease_until < now)))
        .order_by(Job.due_at, Job.id).limit(limit).with_for_update(skip_locked=True))
    jobs = session.scalars(due).all()
    for job in jobs:
        job.status = "running"
        job.locked_by = worker
        job.lease_until = now + LEASE
        job.attempts += 1
    return [j.id for j in jobs]


def next_due(session: Session) -> datetime | None:
    return session.scalar(select(Job.due_at).where(Job.status == "pending")
                          .order_by(Job.due_at).limit(1))


def run_one(factory: sessionmaker[Session], job_id: int, worker: str,
            handlers: dict[str, Handler]) -> str:
    """Run one claimed job; returns 'done', 'retry', 'failed' or 'lost' (lease taken over)."""
    try:
        with unit_of_work(factory) as session:
            job = session.execute(select(Job).where(Job.id == job_id).with_for_update()
                                  .execution_options(populate_existing=True)).scalar_one_or_none()
            if job is None or job.status != "running" or job.locked_by != worker:
                return "lost"
            handler = handlers.get(job.kind)
            if handler is None:
                raise LookupError(f"no handler for job kind '{job.kind}'")
            handler(session, job)
            if job.status != "running":  # the handler rescheduled it
                return job.status
            job.status = "done"
            job.finished_at = clock.now()
            return "done"
    except Exception as err:  # noqa: BLE001 - a failing job must not stop the worker
        log.warning("job %s failed: %s", job_id, err)
        return _record_failure(factory, job_id, worker, err)


def _record_failure(factory: sessionmaker[Session], job_id: int, worker: str,
                    err: Exception) -> str:
    with unit_of_work(factory) as session:
        job = session.get(Job, job_id)
        if job is None or job.locked_by != worker:
            return "lost"
        job.last_error = f"{err.__class__.__name__}: {err}"[:4000]
        job.locked_by = None
        job.lease_until = None
        if job.attempts >= job.max_attempts:
            job.status = "failed"
            job.finished_at = clock.now()
            return "failed"
        job.status = "pending"
        job.due_at = clock.now() + timedelta(seconds=2 ** min(job.attempts, 10))
        return "retry"
