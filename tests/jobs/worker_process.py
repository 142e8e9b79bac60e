"""A worker in its own process, for tests that kill it (python -m tests.jobs.worker_process)."""

from __future__ import annotations

import sys
import time

from adapters.services import default_services
from engine.core import audit
from engine.core.db import make_engine, make_session_factory
from engine.jobs.worker import Worker
from engine.runtime.engine import Engine


def slow_job(session, job) -> None:  # type: ignore[no-untyped-def]
    """Write an audit row, then take long enough to be killed before committing it."""
    audit.record(session, "worker", "slow.started", job=job.id)
    session.flush()
    print("started", job.id, flush=True)
    time.sleep(float(job.payload.get("sleep", 60)))


def main() -> None:
    url, name = sys.argv[1], sys.argv[2]
    rt = Engine(services=default_services())
    worker = Worker(rt, make_session_factory(make_engine(url)), name=name, poll_seconds=0.1)
    worker._handlers["slow"] = slow_job
    print("ready", flush=True)
    worker.run_forever()


if __name__ == "__main__":
    main()
