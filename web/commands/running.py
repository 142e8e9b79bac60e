"""db upgrade, serve and worker: set up the schema and run the service."""

from __future__ import annotations

import logging
import signal
from types import FrameType

import click
from werkzeug.serving import run_simple

from engine.core import migrate
from engine.core.clock import now
from engine.jobs.worker import Worker, run_until_idle
from engine.workdays import coverage_warning
from web.app import UnsafeSecretKey, create_app
from web.commands.state import CliState, pass_state
from web.context import onething
from web.schema import ensure_schema

log = logging.getLogger(__name__)


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@pass_state
def upgrade(state: CliState, revision: str) -> None:
    """Apply schema migrations."""
    migrate.upgrade(state.db, revision)
    click.echo(f"database at revision {migrate.current(state.db)}")


def warn_calendar_coverage() -> None:
    """Log a warning when the next 60 days are not covered by a confirmed calendar."""
    warning = coverage_warning(now().date())
    if warning:
        log.warning("%s", warning)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--no-worker", is_flag=True,
              help="Do not run jobs (timers, retries) in this process; run `onething worker`.")
@pass_state
def serve(state: CliState, host: str, port: int, no_worker: bool) -> None:
    """Run the web application.

    A job worker thread runs in the same process unless --no-worker is given or
    ONETHING_EMBEDDED_WORKER is false. The schema is migrated first if needed. Sessions
    are signed with ONETHING_SECRET_KEY, else with a key made on first start and kept in
    instance/secret_key (ONETHING_SECRET_KEY_FILE); the development key is refused unless
    ONETHING_DEV=1.
    """
    state.long_running()
    try:
        app = create_app({"DATABASE_URL": state.database_url})
    except UnsafeSecretKey as err:
        click.echo(f"error: {err}", err=True)
        click.get_current_context().exit(1)
    shared = onething(app)
    ensure_schema(shared.db)
    warn_calendar_coverage()
    worker = None
    if app.config["EMBEDDED_WORKER"] and not no_worker:
        worker = Worker(shared.rt, shared.factory)
        thread = worker.start_thread()
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if worker is not None:
            worker.stop()
            thread.join(timeout=10)
        shared.close()


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
