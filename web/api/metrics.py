"""What an operator's monitoring reads: readiness, and Prometheus metrics.

``/readyz`` answers 200 when the database answers and its schema is at the newest
migration (a node still migrating, or pointed at an old database, takes no traffic).

``/metrics`` (Prometheus text format, prometheus-client) holds
- ``onething_request_seconds``: request latency per route template, method and status;
- ``onething_cases{status}``: cases by status;
- ``onething_jobs{kind,status}`` and ``onething_job_lag_seconds``: how long the oldest
  due job has waited (0 when none is due);
- ``onething_timer_delay_seconds{quantile}``: how late timers fired in the last hour
  (due time to done).
The figures read from the database are the same whichever process answers. With
several web processes, request latency is gathered across them (prometheus-client's
multi-process mode; ``onething serve`` sets its folder). Only the local machine, or a
caller whose token belongs to an operator, integration or administrator, may read it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import func, select

from engine.core import clock
from engine.core.db import unit_of_work
from engine.core.errors import Forbidden
from engine.models import Case
from engine.models.jobs import Job
from engine.org.roles import INTEGRATIONS, OPERATORS
from web.api.declare import operation
from web.auth import bearer_actor
from web.context import onething
from web.errors import problem
from web.schema import schema_state

bp = Blueprint("metrics", __name__)

MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
TEXT = {"text/plain": {"schema": {"type": "string"}}}
LOOPBACK = frozenset({"127.0.0.1", "::1"})
_REQUESTS: dict[str, Histogram] = {}


def _histogram() -> Histogram:
    """The request histogram, made once per process (after the fork, in the mode the
    environment says)."""
    if "h" not in _REQUESTS:
        _REQUESTS["h"] = Histogram(
            "onething_request_seconds", "Request latency by route", ["route", "method", "status"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
    return _REQUESTS["h"]


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.get("metrics_started")
    if started is not None:
        rule = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
        _histogram().labels(rule, request.method, str(response.status_code)).observe(
            time.perf_counter() - started)
    return response


def init(app: Flask) -> None:
    """Time every request of APP for the request histogram."""
    _histogram()
    app.before_request(_start)
    app.after_request(_observe)


class _FromDatabase(Collector):
    """Cases, jobs, job lag and timer delay, read at scrape time."""

    def collect(self) -> Iterator[Metric]:
        now = clock.now()
        cases = GaugeMetricFamily("onething_cases", "Cases by status", labels=["status"])
        jobs = GaugeMetricFamily("onething_jobs", "Jobs by kind and status",
                                 labels=["kind", "status"])
        lag = GaugeMetricFamily("onething_job_lag_seconds",
                                "How long the oldest due job has waited")
        delay = GaugeMetricFamily("onething_timer_delay_seconds",
                                  "How late timers fired in the last hour", labels=["quantile"])
        with unit_of_work(onething().factory, read_only=True) as session:
            for status, count in session.execute(
                    select(Case.status, func.count()).group_by(Case.status)):
                cases.add_metric([status], count)
            for kind, status, count in session.execute(
                    select(Job.kind, Job.status, func.count()).group_by(Job.kind, Job.status)):
                jobs.add_metric([kind, status], count)
            oldest = session.scalar(select(func.min(Job.due_at)).where(
                Job.status == "pending", Job.due_at <= now))
            fired = [(done - due).total_seconds() for due, done in session.execute(
                select(Job.due_at, Job.finished_at).where(
                    Job.kind == "timer", Job.status == "done",
                    Job.finished_at >= now - timedelta(hours=1)).limit(10_000))
                     if done is not None]
        lag.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
        fired.sort()
        for q in ("0.5", "0.95", "1"):
            at = min(len(fired) - 1, int(float(q) * len(fired))) if fired else 0
            delay.add_metric([q], max(0.0, fired[at]) if fired else 0.0)
        yield from (cases, jobs, lag, delay)


def _may_read() -> None:
    if request.remote_addr in LOOPBACK and "X-Forwarded-For" not in request.headers:
        return
    actor = bearer_actor()
    if actor is None or not (actor.is_admin or actor.groups & (OPERATORS | INTEGRATIONS)):
        raise Forbidden("metrics are for the local machine or an operator's token")


@bp.get("/metrics")
@operation("metrics", tag="operations", errors=("401", "403"), media={200: TEXT}, public=True,
           descriptions={200: "Prometheus text format"})
def metrics() -> Response:
    """Prometheus metrics: request latency per route, cases, jobs, job lag, timer delay."""
    _may_read()
    if os.environ.get(MULTIPROCESS):
        registry: Any = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    database = CollectorRegistry()
    database.register(_FromDatabase())
    body = generate_latest(registry) + generate_latest(database)
    return Response(body, mimetype="text/plain; version=0.0.4")


@bp.get("/readyz")
@operation("ready", tag="operations", errors=("503",), media={200: TEXT}, public=True,
           descriptions={200: "Ready for traffic"})
def readyz() -> Response:
    """Ready for traffic: the database answers and its schema is the newest."""
    try:
        state = schema_state(onething().db)
    except Exception:  # noqa: BLE001 - any failure to read the schema means not ready
        state = "unreachable"
    if state != "current":
        return problem(503, "Service Unavailable", f"the database schema is {state}",
                       database=state)
    return Response("ready\n", mimetype="text/plain")
