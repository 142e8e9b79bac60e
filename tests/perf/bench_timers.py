"""Part 4 of the HTTP benchmark: many waiting timers coming due at once.

COUNT cases of tests/perf/data/short_timer.bpmn are started through the API (8 clients,
`onething serve --no-worker`, so nothing fires meanwhile), waiting until an instant chosen
from a pilot's creation rate so that every case is waiting before it: all the same instant
(a burst: how fast 1 or 2 workers drain the backlog), or spread evenly over SPREAD seconds
from it (how late a timer fires when they come due at a steady rate). The web server is
stopped, the `onething worker` processes are started and, once every timer fired, the jobs
table tells how late each fired (due -> done) and how fast they drained.
"""

from __future__ import annotations

import statistics
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from engine.core.db import READ_ONLY, make_engine
from engine.models import Job
from tests.perf.http_client import Client, Site, percentile, site

TIMER = Path(__file__).resolve().parent / "data" / "short_timer.bpmn"
CLIENTS = 8
PILOT = 80


def _start_cases(port: int, token: str, count: int, first: datetime,
                 spread: float = 0.0) -> tuple[float, int]:
    """Start COUNT waiting cases with CLIENTS clients, the Nth due SPREAD * N / COUNT
    seconds after FIRST; the seconds it took and the errors."""
    errors = [0] * CLIENTS

    def run(index: int) -> None:
        client = Client(port, token)
        for n in range(index, count, CLIENTS):
            due = first + timedelta(seconds=spread * n / count)
            try:
                client.start("short_timer", {"fire_at": due.isoformat()})
            except Exception:  # noqa: BLE001 - counted and reported
                errors[index] += 1
                client.close()
                client = Client(port, token)
        client.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - t0, sum(errors)


def _wait_for_workers(here: Site, logs: list[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not all("started" in (here.folder / log).read_text() for log in logs):
        if time.monotonic() > deadline:
            raise RuntimeError("the workers did not start: " + here.log_tail(logs[0]))
        time.sleep(0.1)


def one_run(label: str, count: int, workers: int, spread: float = 0.0) -> None:
    with site(label, [TIMER]) as here:
        port = here.serve("--no-worker")
        pilot, _ = _start_cases(port, here.token, PILOT, datetime.now(UTC) + timedelta(days=1))
        first = datetime.now(UTC) + timedelta(seconds=count * pilot / PILOT * 1.5 + 10)
        due = first + timedelta(seconds=spread)
        took, errors = _start_cases(port, here.token, count, first, spread)
        here.stop()
        logs = [f"worker-{n}.log" for n in range(workers)]
        for log in logs:
            here.spawn("worker", log=log)
        _wait_for_workers(here, logs)
        # read-only: on SQLite a plain transaction would take the write lock from the workers
        db = make_engine(here.url, execution_options={READ_ONLY: True})
        ours = (Job.kind == "timer") & (Job.due_at <= due)
        time.sleep(max(0.0, (first - datetime.now(UTC)).total_seconds()))
        deadline = time.monotonic() + 1800
        with db.connect() as conn:
            waiting = conn.execute(select(func.count()).where(ours)).scalar_one()
            while time.monotonic() < deadline and conn.execute(select(func.count()).where(
                    ours, Job.status.in_(("pending", "running")))).scalar_one():
                conn.commit()
                time.sleep(0.5)
            rows = conn.execute(select(Job.due_at, Job.finished_at, Job.status)
                                .where(ours)).all()
        db.dispose()
    fired = [r for r in rows if r.status == "done" and r.finished_at is not None]
    if not fired:
        print(f"  {workers} worker(s): none of {waiting} timers fired")
        return
    late = [(r.finished_at - r.due_at).total_seconds() for r in fired]
    span = (max(r.finished_at for r in fired) - first).total_seconds()
    how = f"spread over {spread:.0f} s" if spread else "all due at once"
    print(f"  {workers} worker{'s' if workers > 1 else ' '}, {how}: {len(fired)} of {waiting} "
          f"timers fired; due -> fired p50 {statistics.median(late):6.2f} s, p95 "
          f"{percentile(late, 0.95):6.2f} s, first {min(late) * 1e3:5.0f} ms; drained in "
          f"{span:6.1f} s = {len(fired) / span:6.1f} timers/s | created at "
          f"{count / took:5.1f} cases/s, {errors} errors")


def part_timers(label: str, count: int, workers: tuple[int, ...], spread: float) -> None:
    print(f"[{label}] 4. timers: {count} waiting cases, `onething worker` processes firing "
          "them")
    for n in workers:
        one_run(label, count, n)
    if spread:
        one_run(label, count, 1, spread)
