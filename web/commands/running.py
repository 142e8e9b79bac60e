"""db upgrade, serve and worker: set up the schema and run the service."""

from __future__ import annotations

import logging
import signal
from types import FrameType

import click

from engine.casework import search
from engine.core import migrate
from engine.core.clock import now
from engine.core.db import unit_of_work
from engine.jobs.worker import Worker, run_until_idle
from engine.workdays import coverage_warning
from web import serving
from web.app import UnsafeSecretKey, create_app
from web.commands.state import CliState, pass_state
from web.context import onething
from web.schema import ensure_schema
from web.serving import ServeOptions, default_workers

log = logging.getLogger(__name__)


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@pass_state
def upgrade(state: CliState, revision: str) -> None:
    """Apply schema migrations, then index for staff search the cases started before it."""
    migrate.upgrade(state.db, revision)
    click.echo(f"database at revision {migrate.current(state.db)}")
    if migrate.current(state.db) == migrate.head():
        looked_at = backfill_search(state)
        if looked_at:
            click.echo(f"search index: {looked_at} earlier cases looked at")


def backfill_search(state: CliState) -> int:
    """Index every case without a search row, a batch per transaction; how many."""
    total, after = 0, 0
    while True:
        with unit_of_work(state.factory()) as session:
            looked_at = search.backfill(state.rt, session, after)
        if not looked_at:
            return total
        total, after = total + len(looked_at), looked_at[-1]


def warn_calendar_coverage() -> None:
    """Log a warning when the next 60 days are not covered by a confirmed calendar."""
    warning = coverage_warning(now().date())
    if warning:
        log.warning("%s", warning)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Web processes (default: 1 on SQLite, two per core on PostgreSQL).")
@click.option("--threads", type=click.IntRange(1, 256), default=8, show_default=True,
              help="Request threads per process.")
@click.option("--no-worker", is_flag=True,
              help="Do not run jobs (timers, retries) in this process; run `onething worker`.")
@pass_state
def serve(state: CliState, host: str, port: int, workers: int | None, threads: int,
          no_worker: bool) -> None:
    """Run the web application on gunicorn (threaded workers, keep-alive).

    A job worker thread runs in each web process unless --no-worker is given or
    ONETHING_EMBEDDED_WORKER is false. The schema is migrated first if needed. Sessions
    are signed with ONETHING_SECRET_KEY, else with a key made on first start and kept in
    instance/secret_key (ONETHING_SECRET_KEY_FILE); the development key is refused unless
    ONETHING_DEV=1. SIGTERM or Ctrl-C finishes the requests in flight, then exits.
    """
    state.long_running()
    processes = workers or default_workers(state.database_url)
    if processes > 1:
        # before the first metric exists: latency is gathered across the processes
        serving.share_metrics()
    config = {"DATABASE_URL": state.database_url}
    try:
        # built once here to refuse a bad configuration before any process starts
        app = create_app(config)
    except UnsafeSecretKey as err:
        click.echo(f"error: {err}", err=True)
        click.get_current_context().exit(1)
    shared = onething(app)
    ensure_schema(shared.db)
    warn_calendar_coverage()
    embedded = bool(app.config["EMBEDDED_WORKER"]) and not no_worker
    # the key a first start made is on disk now: every process signs with the same one
    config["SECRET_KEY"] = app.config["SECRET_KEY"]
    shared.close()
    options = ServeOptions(host=host, port=port, threads=threads,
                           workers=processes,
                           embedded_worker=embedded)
    serving.serve(lambda: create_app(config), options)


@click.command("worker")
@click.option("--once", is_flag=True, help="Run what is due now, then exit.")
@pass_state
def run_worker(state: CliState, once: bool) -> None:
    """Run due jobs until SIGTERM or Ctrl-C.

    Jobs are timers, retries and service calls; several workers may share a database.
    """
    state.long_running()
    worker = Worker(state.rt, state.factory())
    if once:
        click.echo(f"ran {run_until_idle(worker)} jobs")
        return

    def stop(signum: int, _frame: FrameType | None) -> None:
        """Ask the worker to stop after its current job."""
        log.info("worker: %s received, finishing the current job", signal.Signals(signum).name)
        worker.stop()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        worker.run_forever()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
