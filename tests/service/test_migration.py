"""Migration 0008 builds the service tables exactly as the models declare."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from engine.core.db import make_engine
from engine.models import Base

MIGRATION = (Path(__file__).resolve().parents[2] / "engine" / "migrations" / "versions"
             / "0008_service.py")
TABLES = {"notifications", "appointment_slots", "appointments", "visits", "mobile_intakes"}


def _about(diff: object) -> set[str]:
    """The table names one autogenerate difference talks about."""
    text = repr(diff)
    return {name for name in TABLES if f"'{name}'" in text or f"name='{name}'" in text}


def test_0008_matches_the_models_and_downgrades(tmp_path):
    spec = importlib.util.spec_from_file_location("m0008", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (module.revision, module.down_revision) == ("0008", "0007")
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    try:
        others = [t for t in Base.metadata.sorted_tables if t.name not in TABLES]
        Base.metadata.create_all(engine, tables=others)
        with engine.begin() as conn:
            ctx = MigrationContext.configure(conn)
            with Operations.context(ctx):
                module.upgrade()
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert [d for d in diffs if _about(d)] == []
            with Operations.context(ctx):
                module.downgrade()
            left = set(conn.dialect.get_table_names(conn))
            assert not left & TABLES
    finally:
        engine.dispose()
