"""What every CLI command shares: the database URL, lazily opened engines, the CLI actor."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

import click
from sqlalchemy import Engine as SqlEngine
from sqlalchemy.orm import Session, sessionmaker

from engine.core.actors import Actor
from engine.core.db import make_engine, make_session_factory
from engine.runtime.engine import Engine
from web.app import configure_logging
from web.schema import ensure_schema, require_schema

F = TypeVar("F", bound=Callable[..., Any])


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # containers often run as a uid with no passwd entry
        return "unknown"


class CliState:
    """Opened on first use so that --help and validate never touch a database."""

    def __init__(self, database_url: str, *, log_level: str | None = None) -> None:
        self.database_url = database_url
        self.log_level = log_level
        self.actor = Actor(f"cli:{_os_user()}", is_admin=True)

    @cached_property
    def db(self) -> SqlEngine:
        """The SQLAlchemy engine for the database URL."""
        return make_engine(self.database_url)

    @cached_property
    def rt(self) -> Engine:
        """The onething engine with the offline service connectors and notifier."""
        from adapters.notify import LogNotifier
        from adapters.services import default_services
        from engine.service.notifications import delivery

        # as in the web app: SMS and e-mail go to the log unless a real notifier is set
        delivery.configure_default(LogNotifier())
        return Engine(services=default_services())

    def factory(self, *, migrate: bool = False) -> sessionmaker[Session]:
        """A session factory; MIGRATE brings the schema up to date first, else it must exist."""
        if migrate:
            ensure_schema(self.db)
        else:
            require_schema(self.db)
        return make_session_factory(self.db)

    def long_running(self) -> None:
        """Log at INFO for serve and worker unless --log-level said otherwise."""
        if self.log_level is None:
            configure_logging("INFO")

    def close(self) -> None:
        """Release the database connections, if any were opened."""
        if "db" in self.__dict__:
            self.db.dispose()


def pass_state(fn: F) -> F:
    """Hand the command the shared CliState as its first argument."""
    return click.make_pass_decorator(CliState)(fn)  # type: ignore[return-value]
