"""`onething serve` on gunicorn: threaded workers, keep-alive, graceful shutdown.

One entry point for the demo and for production. Each gunicorn worker process builds
its own app (its own connection pool); with the embedded job worker on, each web
worker also runs one job-worker thread beside its request threads (jobs are claimed
under row locks, so several job workers share a database safely). On SQLite one web
process is the default, since one file takes one writer at a time; on PostgreSQL run
several (`--workers`) and the job workers apart (`--no-worker` and `onething worker`).

SIGTERM or Ctrl-C stops accepting connections, lets requests in flight finish (up to
``graceful_timeout``), stops the job worker after its current job, and exits.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from engine.jobs.worker import Worker
from web.context import onething

log = logging.getLogger(__name__)

METRICS_DIR = "PROMETHEUS_MULTIPROC_DIR"


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: address, processes, threads per process, the embedded job worker."""

    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 1
    threads: int = 8
    keepalive: int = 5
    graceful_timeout: int = 30
    timeout: int = 60
    embedded_worker: bool = True

    @property
    def bind(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def share_metrics() -> None:
    """Let the web processes write their metrics to one fresh folder (prometheus-client's
    multi-process mode), unless the operator named one in PROMETHEUS_MULTIPROC_DIR."""
    if not os.environ.get(METRICS_DIR):
        os.environ[METRICS_DIR] = tempfile.mkdtemp(prefix="onething-metrics-")


def default_workers(database_url: str) -> int:
    """One process on SQLite (one writer at a time); on a server database two per core,
    at most eight."""
    if database_url.startswith("sqlite"):
        return 1
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


class _Jobs:
    """The job worker running beside one web worker process (started after the fork)."""

    def __init__(self) -> None:
        self.worker: Worker | None = None
        self.thread: threading.Thread | None = None

    def start(self, app: Flask) -> None:
        shared = onething(app)
        self.worker = Worker(shared.rt, shared.factory, name=f"web-{os.getpid()}")
        self.thread = self.worker.start_thread()

    def stop(self) -> None:
        if self.worker is not None and self.thread is not None:
            self.worker.stop()
            self.thread.join(timeout=10)


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn serving the app MAKE_APP builds, once in each worker process."""

    def __init__(self, make_app: Callable[[], Flask], options: ServeOptions) -> None:
        self.make_app = make_app
        self.options = options
        self.app: Flask | None = None
        self.jobs = _Jobs()
        super().__init__()

    def load_config(self) -> None:
        o = self.options
        settings: dict[str, Any] = {
            "bind": [o.bind], "workers": o.workers, "threads": o.threads,
            "worker_class": "gthread", "keepalive": o.keepalive, "timeout": o.timeout,
            "graceful_timeout": o.graceful_timeout,
            # the app writes its own access line (web/access_log.py): case, user, duration
            "accesslog": None, "errorlog": "-", "loglevel": "info",
            "proc_name": "onething", "control_socket_disable": True,
            "post_worker_init": self._post_worker_init,
            "worker_exit": self._worker_exit,
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        if self.app is None:
            self.app = self.make_app()
        return self.app

    def _post_worker_init(self, _worker: Any) -> None:
        if self.options.embedded_worker and self.app is not None:
            self.jobs.start(self.app)

    def _worker_exit(self, _server: Any, _worker: Any) -> None:
        self.jobs.stop()
        if self.app is not None:
            onething(self.app).close()


def serve(make_app: Callable[[], Flask], options: ServeOptions) -> None:
    """Serve until SIGTERM or Ctrl-C (blocks; gunicorn's master loop)."""
    log.info("serving on http://%s with %d process(es) x %d threads%s", options.bind,
             options.workers, options.threads,
             ", jobs in each" if options.embedded_worker else ", jobs run elsewhere")
    Server(make_app, options).run()
