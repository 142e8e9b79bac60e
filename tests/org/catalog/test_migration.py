"""Migration 0002 builds the catalogue and office tables exactly as the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from engine.core import migrate
from engine.core.actors import SYSTEM
from engine.core.db import make_engine, make_session_factory, unit_of_work
from engine.models import Base
from engine.org.catalog import import_catalog
from tests.org.catalog.conftest import ITEMS


def test_upgrade_from_0001_matches_the_models_and_takes_the_catalogue(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    try:
        migrate.upgrade(engine, "0001")
        assert "catalog_items" not in inspect(engine).get_table_names()
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        with unit_of_work(make_session_factory(engine)) as session:
            assert import_catalog(session, ITEMS, actor=SYSTEM).created >= 60
    finally:
        engine.dispose()
