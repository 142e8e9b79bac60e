"""Migration 0003 builds case_materials exactly as the model declares, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from engine.core import migrate
from engine.core.db import make_engine
from engine.models import Base
from tests.conftest import PG_URL

TABLE = "case_materials"


def _check(engine: Engine) -> None:
    migrate.upgrade(engine, "0002")
    assert TABLE not in inspect(engine).get_table_names()
    migrate.upgrade(engine, "0003")
    assert migrate.current(engine) == "0003"
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # later revisions add other tables; only this revision's table must match exactly
    assert [d for d in diff if TABLE in repr(d)] == []
    indexes = {i["name"] for i in inspect(engine).get_indexes(TABLE)}
    assert "ix_case_materials_case_id" in indexes


def test_upgrade_to_0003_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    try:
        _check(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_upgrade_to_0003_on_postgresql(pg_ready):
    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL or "")
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in (PG_URL or "") else "?"
    engine = make_engine(f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
    try:
        _check(engine)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
