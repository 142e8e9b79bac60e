"""The Flask application factory: configuration, the shared engine, blueprints, errors."""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from adapters.files import LocalFileStore
from adapters.services import default_services
from engine.casework.materials import MAX_BYTES as MATERIAL_MAX_BYTES
from engine.core.db import database_url, make_engine, make_session_factory
from engine.runtime.engine import Engine
from web.context import EXTENSION, FILES, Onething
from web.refs import RowId
from web.settings import env_flag, env_int

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
DEV_SECRET = "dev-only-change-me"
KEY_FILE = "secret_key"
# a key shorter than this is refused in a key file and warned about in the environment
MIN_KEY_LENGTH = 32


class UnsafeSecretKey(RuntimeError):
    """No safe key to sign sessions with (a published one, or none); the app does not start."""


def _read_key(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_KEY_LENGTH:
        raise UnsafeSecretKey(f"{path} holds no usable key (fewer than {MIN_KEY_LENGTH} "
                              "characters); delete the file to have a new key made")
    return key


def install_secret_key(path: Path) -> str:
    """The per-install session key in PATH, made (readable by this user only) on first use."""
    try:
        if not path.exists():
            _make_key(path)
        return _read_key(path)
    except OSError as err:
        raise UnsafeSecretKey(f"cannot read or make the session key file {path} ({err}); "
                              "set ONETHING_SECRET_KEY or ONETHING_SECRET_KEY_FILE") from err


def _make_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        # linking never replaces a file: of several workers starting at once, the first
        # one's key is the one every worker uses
        os.link(draft, path)
        log.info("made a new session key in %s", path)
    except FileExistsError:
        pass
    finally:
        os.unlink(draft)


def choose_secret_key(config: Mapping[str, Any]) -> str:
    """Pick the key that signs session cookies, or refuse the development key.

    SECRET_KEY (ONETHING_SECRET_KEY) comes first, else the key file of this install, made
    on first start; tests without a key get the development key. The development key
    itself is refused unless TESTING or DEV (ONETHING_DEV=1).
    """
    key = str(config.get("SECRET_KEY") or "")
    relaxed = bool(config.get("TESTING") or config.get("DEV"))
    if not key:
        key = DEV_SECRET if config.get("TESTING") else install_secret_key(
            Path(config["SECRET_KEY_FILE"]))
    if key == DEV_SECRET:
        if not relaxed:
            raise UnsafeSecretKey(
                "ONETHING_SECRET_KEY is the published development key, with which anyone "
                "can forge session cookies; set a long random key, or unset it to use the "
                "key file of this install (ONETHING_DEV=1 allows it for development)")
        if not config.get("TESTING"):
            log.warning("signing sessions with the development key (ONETHING_DEV=1); "
                        "never do this on a server others can reach")
    elif len(key) < MIN_KEY_LENGTH and not config.get("TESTING"):
        log.warning("ONETHING_SECRET_KEY has fewer than %d characters; use a longer one",
                    MIN_KEY_LENGTH)
    return key


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
        # SpiffWorkflow tells every task's change of state at INFO: a dozen lines a step,
        # most of each request's log; they are kept for DEBUG
        spiff = logging.DEBUG if root.level <= logging.DEBUG else logging.WARNING
        logging.getLogger("spiff").setLevel(spiff)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web application; CONFIG overrides what the environment says."""
    app = Flask(__name__)
    app.url_map.converters["int"] = RowId
    app.config.from_mapping(
        DATABASE_URL=database_url(),
        SECRET_KEY=os.environ.get("ONETHING_SECRET_KEY") or None,
        SECRET_KEY_FILE=(os.environ.get("ONETHING_SECRET_KEY_FILE")
                         or os.path.join(app.instance_path, KEY_FILE)),
        DEV=env_flag("ONETHING_DEV", False),
        # proxies in front of the app whose X-Forwarded-For names the client (throttle)
        TRUSTED_PROXIES=env_int("ONETHING_TRUSTED_PROXIES", 0, least=0),
        SIGN_IN_ACCOUNT_LIMIT=env_int("ONETHING_SIGN_IN_ACCOUNT_LIMIT", 5),
        SIGN_IN_ADDRESS_LIMIT=env_int("ONETHING_SIGN_IN_ADDRESS_LIMIT", 20),
        TOKEN_ADDRESS_LIMIT=env_int("ONETHING_TOKEN_ADDRESS_LIMIT", 20),
        SIGN_IN_WINDOW_MINUTES=env_int("ONETHING_SIGN_IN_WINDOW_MINUTES", 15),
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
    app.config["SECRET_KEY"] = choose_secret_key(app.config)
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies,  # type: ignore[method-assign]
                                x_proto=proxies)
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

    from web import access_log, api, errors

    access_log.init(app)
    errors.register(app)
    api.register(app)
    from web import ui

    ui.register(app)
    log.info("onething app ready on %s", db.url.render_as_string(hide_password=True))
    return app
