"""The Flask application factory: configuration, the shared engine, blueprints, errors."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from adapters.files import LocalFileStore
from adapters.services import default_services
from engine.casework.materials import MAX_BYTES as MATERIAL_MAX_BYTES
from engine.core.db import database_url, make_engine, make_session_factory
from engine.runtime.engine import Engine
from web.context import EXTENSION, FILES, Onething
from web.refs import RowId
from web.settings import env_flag

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
DEV_SECRET = "dev-only-change-me"


def configure_logging(level: str | None = None) -> None:
    """Send log records to stderr once per process, at LEVEL (else ONETHING_LOG_LEVEL, INFO)."""
    root = logging.getLogger()
    # a test runner, the CLI or an embedding server may already own the root handlers
    installed = not root.handlers
    if installed:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    if level or installed:
        name = (level or os.environ.get("ONETHING_LOG_LEVEL") or "INFO").upper()
        root.setLevel(getattr(logging, name, logging.INFO))


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web application; CONFIG overrides what the environment says."""
    app = Flask(__name__)
    app.url_map.converters["int"] = RowId
    app.config.from_mapping(
        DATABASE_URL=database_url(),
        SECRET_KEY=os.environ.get("ONETHING_SECRET_KEY") or DEV_SECRET,
        EMBEDDED_WORKER=env_flag("ONETHING_EMBEDDED_WORKER", True),
        AUTO_MIGRATE=env_flag("ONETHING_AUTO_MIGRATE", False),
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        MATERIALS_ROOT=(os.environ.get("ONETHING_MATERIALS_ROOT")
                        or os.path.join(app.instance_path, "materials")),
        MATERIALS_MAX_BYTES=MATERIAL_MAX_BYTES,
    )
    if config:
        app.config.from_mapping(config)
    if not app.config.get("TESTING"):
        configure_logging()
        if app.config["SECRET_KEY"] == DEV_SECRET:
            log.warning("ONETHING_SECRET_KEY is not set; using the development key")
    # keep the order the API builds its bodies in (id, number, ... before details)
    app.json.sort_keys = False  # type: ignore[attr-defined]

    db = make_engine(app.config["DATABASE_URL"])
    if app.config["AUTO_MIGRATE"]:
        from web.schema import ensure_schema

        ensure_schema(db)
    app.extensions[EXTENSION] = Onething(rt=Engine(services=default_services()), db=db,
                                         factory=make_session_factory(db))
    # the offline default; a deployment with S3-compatible storage puts its own store here
    app.extensions[FILES] = LocalFileStore(app.config["MATERIALS_ROOT"])

    from web import api, errors

    errors.register(app)
    api.register(app)
    from web import ui

    ui.register(app)
    log.info("onething app ready on %s", db.url.render_as_string(hide_password=True))
    return app
