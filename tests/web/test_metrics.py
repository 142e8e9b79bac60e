"""What monitoring reads: /readyz and the Prometheus metrics at /metrics."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from engine.core import clock
from engine.core.db import unit_of_work
from engine.models.jobs import Job
from tests.web.support import Headers
from web.app import create_app
from web.cli import main
from web.context import onething

FAR = {"REMOTE_ADDR": "10.20.30.40"}


def _value(text: str, sample: str) -> float:
    found = re.search(rf"^{re.escape(sample)} ([0-9.e+-]+)$", text, re.M)
    assert found, f"no sample {sample}"
    return float(found.group(1))


def test_metrics_count_requests_jobs_and_how_late_timers_fire(app: Flask,
                                                              client: FlaskClient) -> None:
    now = clock.now()
    with unit_of_work(onething(app).factory) as session:
        session.add_all([
            Job(kind="timer", key="late", due_at=now - timedelta(minutes=2), status="pending",
                payload={}, created_at=now),
            Job(kind="timer", key="fired", due_at=now - timedelta(minutes=10), status="done",
                finished_at=now - timedelta(minutes=10) + timedelta(seconds=30), payload={},
                created_at=now)])
    assert client.get("/healthz").status_code == 200
    reply = client.get("/metrics")
    assert reply.status_code == 200 and reply.mimetype == "text/plain"
    text = reply.get_data(as_text=True)
    assert _value(text, 'onething_request_seconds_count{method="GET",route="/healthz",'
                        'status="200"}') >= 1
    assert _value(text, 'onething_jobs{kind="timer",status="pending"}') == 1
    assert _value(text, "onething_job_lag_seconds") >= 120
    assert 25 <= _value(text, 'onething_timer_delay_seconds{quantile="1"}') <= 35


def test_metrics_are_for_this_machine_or_an_operator(
        client: FlaskClient, make_user: Callable[..., Headers]) -> None:
    assert client.get("/metrics", environ_base=FAR).status_code == 403
    clerk = make_user("clerk_a", "window_clerk")
    assert client.get("/metrics", environ_base=FAR, headers=clerk).status_code == 403
    # behind a proxy the loopback address is not the caller's
    forwarded = {"X-Forwarded-For": "10.1.1.1"}
    assert client.get("/metrics", headers=forwarded).status_code == 403
    operator = make_user("ops_a", "operator")
    assert client.get("/metrics", environ_base=FAR, headers=operator).status_code == 200


def test_ready_only_when_the_schema_is_the_newest(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app({"DATABASE_URL": url, "TESTING": True, "EMBEDDED_WORKER": False})
    try:
        waiting = app.test_client().get("/readyz")
        assert waiting.status_code == 503 and "empty" in waiting.get_json()["detail"]
        assert CliRunner().invoke(main, ["--database-url", url, "db", "upgrade"]).exit_code == 0
        ready = app.test_client().get("/readyz")
        assert ready.status_code == 200 and ready.get_data(as_text=True) == "ready\n"
    finally:
        onething(app).close()
