"""Bring the database schema up to date when a command needs it."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, inspect

from engine.core import migrate
from engine.core.errors import OnethingError

log = logging.getLogger(__name__)


class SchemaMissing(OnethingError):
    """The database has no tables; a migration is needed."""

    status = 503
    title = "Database not initialised"


def schema_state(db: Engine) -> str:
    """'current', 'behind', 'empty', or 'unmanaged' (tables made without Alembic)."""
    revision = migrate.current(db)
    if revision is not None:
        return "current" if revision == migrate.head() else "behind"
    tables = set(inspect(db).get_table_names())
    return "unmanaged" if "cases" in tables else "empty"


def ensure_schema(db: Engine) -> bool:
    """Migrate an empty or outdated database; return whether anything was applied."""
    state = schema_state(db)
    if state in ("empty", "behind"):
        log.info("migrating the database schema (%s)", state)
        migrate.upgrade(db)
        return True
    if state == "unmanaged":
        # created by metadata.create_all (tests); Alembic would trip over existing tables
        log.warning("the database has tables but no Alembic revision; not migrating")
    return False


def require_schema(db: Engine) -> None:
    """Refuse to read a database that has no tables yet, with the command that fixes it."""
    if schema_state(db) == "empty":
        raise SchemaMissing("the database has no tables yet: run 'onething db upgrade'")
