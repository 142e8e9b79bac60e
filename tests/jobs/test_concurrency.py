"""Two clerks on one task, two workers on one timer, a worker killed mid-job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.casework import completion
from engine.core import clock
from engine.core.db import unit_of_work
from engine.core.errors import Conflict
from engine.jobs.worker import Worker, run_until_idle
from engine.models import AuditEvent, Job
from tests.runtime.scenario import ADMIN, Scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sc(rt, db):
    return Scenario(rt, db)


def test_two_clerks_complete_one_task_one_wins(sc):
    sc.deploy("approval.bpmn", "accept-schema.json", bundle="approval")
    cid = sc.start("approval", {"applicant": "A"})
    item = sc.item(cid, "accept")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def clerk(area: int) -> None:
        barrier.wait()
        try:
            with unit_of_work(sc.factory) as s:
                completion.complete(sc.rt, s, item.id, {"accepted": True, "area": area}, ADMIN)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=clerk, args=(a,)) for a in (10, 20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    shown = sc.show(cid)
    assert [e["action"] for e in sc.trail(cid)].count("task.completed") == 1
    assert [w["element"] for w in shown["work_items"] if w["state"] == "open"] == ["review"]


@pytest.mark.postgres
def test_two_workers_fire_a_due_timer_once(sc):
    sc.deploy("timers.bpmn")
    ids = [sc.start("timers") for _ in range(5)]
    clock.advance(timedelta(hours=1, seconds=1))
    workers = [Worker(sc.rt, sc.factory, name=f"w{i}", poll_seconds=0.05) for i in (1, 2)]
    threads = [w.start_thread() for w in workers]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if all(sc.case(i).next_timer_at is None for i in ids):
            break
        time.sleep(0.1)
    for w in workers:
        w.stop()
    for t in threads:
        t.join(5)
    with unit_of_work(sc.factory) as s:
        fired = s.scalar(select(func.count()).where(AuditEvent.action == "timer.fired"))
        done = s.scalar(select(func.count()).select_from(Job).where(Job.status == "done"))
    assert fired == 5 and done == 5
    for i in ids:
        assert [w.element_id for w in sc.open_items(i)] == ["escalate"]


@pytest.mark.postgres
def test_killed_worker_loses_nothing_and_its_job_is_retaken(sc, db_url):
    now = clock.now()
    with unit_of_work(sc.factory) as s:
        job = Job(kind="slow", key="", due_at=now, status="pending", payload={"sleep": 60},
                  created_at=now, max_attempts=5)
        s.add(job)
        s.flush()
        job_id = job.id
    env = dict(os.environ, ONETHING_JOB_LEASE_SECONDS="2", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "tests.jobs.worker_process", db_url, "A"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline().strip() for _ in range(2)]
        assert lines[1] == f"started {job_id}"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
    with unit_of_work(sc.factory) as s:
        row = s.get(Job, job_id)
        assert row.status == "running" and row.locked_by == "A"
        assert s.scalar(select(func.count()).where(AuditEvent.action == "slow.started")) == 0
    time.sleep(2.2)  # the lease runs out
    clock.advance(timedelta(seconds=3))
    done: list[int] = []
    worker = Worker(sc.rt, sc.factory, name="B")
    worker._handlers["slow"] = lambda session, job: done.append(job.id)
    assert run_until_idle(worker) == 1
    with unit_of_work(sc.factory) as s:
        row = s.get(Job, job_id)
        assert row.status == "done" and row.locked_by == "B" and row.attempts == 2
    assert done == [job_id]
