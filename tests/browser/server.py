"""A live onething server for the browser tests: migrated SQLite file, demo data, worker on."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from engine.jobs.worker import Worker
from web.app import create_app
from web.cli import main
from web.context import onething
from web.schema import schema_state


@dataclass
class LiveServer:
    """A running app: its base URL, the Flask app and the database it serves."""

    url: str
    app: Flask
    database_url: str
    _server: BaseWSGIServer
    _worker: Worker
    _threads: tuple[threading.Thread, ...]

    def stop(self) -> None:
        """Stop serving, stop the worker and release the database connections."""
        self._server.shutdown()
        self._server.server_close()
        self._worker.stop()
        for thread in self._threads:
            thread.join(timeout=10)
        onething(self.app).close()


def load_demo(database_url: str) -> str:
    """Migrate DATABASE_URL and load the demo exactly as `onething demo` does; return its output."""
    result = CliRunner().invoke(main, ["--database-url", database_url, "demo"])
    if result.exit_code != 0:
        raise RuntimeError(f"onething demo failed ({result.exit_code}):\n{result.output}")
    return result.output


def start(folder: Path) -> LiveServer:
    """Serve a fresh demo database in FOLDER on a free local port, with the embedded worker."""
    database_url = f"sqlite:///{folder / 'onething.db'}"
    load_demo(database_url)
    app = create_app({
        "DATABASE_URL": database_url,
        "SECRET_KEY": "browser-tests-secret",
        "MATERIALS_ROOT": str(folder / "materials"),
        "TRANSLATIONS_CACHE": str(folder / "translations"),
        "EMBEDDED_WORKER": True,
        "TESTING": True,
    })
    shared = onething(app)
    if schema_state(shared.db) != "current":
        raise RuntimeError("the demo database is not at the newest migration")
    worker = Worker(shared.rt, shared.factory, name="browser-tests")
    worker_thread = worker.start_thread()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server_thread = threading.Thread(target=server.serve_forever, name="live-server",
                                     daemon=True)
    server_thread.start()
    return LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app,
                      database_url=database_url, _server=server, _worker=worker,
                      _threads=(server_thread, worker_thread))
