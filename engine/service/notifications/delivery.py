"""The 'notification' job kind: hand an outbox row to the Notifier, retry with back-off.

The attempt's outcome is written to the outbox row in the job's own transaction, so a
failing channel never loses a message: it stays 'pending' with its last error and the
time of the next attempt, and ends 'failed' (still kept) after MAX_ATTEMPTS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import audit, clock
from engine.core.extensions import job_kind
from engine.core.ports import Notifier
from engine.models import Job, Notification
from engine.service.notifications.outbox import JOB_KIND

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)

_notifier: Notifier | None = None


def configure(notifier: Notifier | None) -> None:
    """Make NOTIFIER the process's outside channel (None: keep SMS and e-mail waiting)."""
    global _notifier
    _notifier = notifier


def configure_default(notifier: Notifier) -> None:
    """Use NOTIFIER unless a deployment configured another one already."""
    if _notifier is None:
        configure(notifier)


def configured() -> Notifier | None:
    """The notifier in use, if any."""
    return _notifier


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ATTEMPTS-th failed attempt."""
    wait: timedelta = FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(wait, LONGEST_WAIT)


def deliver(session: Session, notification_id: int) -> timedelta | None:
    """Try to send one outbox row now; the wait before the next attempt, or None when done."""
    row = session.execute(select(Notification).where(Notification.id == notification_id)
                          .with_for_update()).scalar_one_or_none()
    if row is None or row.status != "pending" or row.address is None:
        return None
    row.attempts += 1
    now = clock.now()
    try:
        if _notifier is None:
            raise LookupError("no notifier is configured for SMS and e-mail")
        _notifier.send(row.channel, row.address, row.subject, row.body)
    except Exception as err:  # noqa: BLE001 - any failure of the channel is retried
        row.last_error = f"{err.__class__.__name__}: {err}"[:4000]
        log.warning("notification %s (%s) attempt %s failed: %s", row.id, row.channel,
                    row.attempts, row.last_error)
        if row.attempts >= MAX_ATTEMPTS:
            row.status, row.next_attempt_at = "failed", None
            audit.record(session, "engine", "notification.failed", case_id=row.case_id,
                         notification=row.id, channel=row.channel, error=row.last_error)
            return None
        wait = backoff(row.attempts)
        row.next_attempt_at = now + wait
        return wait
    row.status, row.sent_at, row.next_attempt_at, row.last_error = "sent", now, None, None
    log.info("notification %s sent by %s", row.id, row.channel)
    return None


@job_kind(JOB_KIND)
def _handler(_rt: Any) -> Callable[[Session, Job], None]:
    def run(session: Session, job: Job) -> None:
        wait = deliver(session, int(job.payload["notification_id"]))
        if wait is not None:
            # the job itself stays alive: the next attempt is this job, due later
            job.status, job.due_at = "pending", clock.now() + wait
            job.locked_by, job.lease_until = None, None
    return run
