"""One check for each migration that adds tables: built exactly as the models declare
them, and gone again after its downgrade."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from engine.core.db import make_engine
from engine.models import Base

VERSIONS = Path(__file__).resolve().parents[1] / "engine" / "migrations" / "versions"


def _about(diff: object, tables: set[str]) -> set[str]:
    """The table names one autogenerate difference talks about."""
    text = repr(diff)
    return {name for name in tables if f"'{name}'" in text or f"name='{name}'" in text}


def check_tables_migration(filename: str, revisions: tuple[str, str], tables: set[str],
                           folder: Path) -> None:
    """Run migration FILENAME (REVISIONS: its own and the one before) on a SQLite database
    in FOLDER holding every other table: its TABLES match the models, and its downgrade
    drops them."""
    spec = importlib.util.spec_from_file_location(f"m{revisions[0]}", VERSIONS / filename)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (module.revision, module.down_revision) == revisions
    engine = make_engine(f"sqlite:///{folder / 'm.db'}")
    try:
        others = [t for t in Base.metadata.sorted_tables if t.name not in tables]
        Base.metadata.create_all(engine, tables=others)
        with engine.begin() as conn:
            ctx = MigrationContext.configure(conn)
            with Operations.context(ctx):
                module.upgrade()
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert [d for d in diffs if _about(d, tables)] == []
            with Operations.context(ctx):
                module.downgrade()
            left = set(conn.dialect.get_table_names(conn))
            assert not left & tables
    finally:
        engine.dispose()
