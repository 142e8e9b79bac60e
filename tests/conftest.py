"""Shared fixtures: a fresh database per test (SQLite file, or a PostgreSQL schema), an engine."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "bpmn"
DATA = Path(__file__).resolve().parent / "data"
PG_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if PG_URL:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL "
                                   "(CI runs the suite once more on PostgreSQL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _pg_available() -> bool:
    from engine.core.db import make_engine

    engine = make_engine(PG_URL or "")
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        return True
    except Exception:  # noqa: BLE001
        return False
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_ready() -> bool:
    if not PG_URL:
        return False
    if not _pg_available():
        message = f"TEST_DATABASE_URL is set but PostgreSQL does not answer at {PG_URL}"
        if os.environ.get("ONETHING_REQUIRE_POSTGRES") or os.environ.get("CI"):
            pytest.exit(message, returncode=1)
        pytest.skip(message)
    return True


@pytest.fixture
def pg_schema(pg_ready: bool) -> Iterator[Any]:
    """An engine on a new, empty PostgreSQL schema (dropped afterwards), for migrations."""
    from engine.core.db import make_engine

    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL or "")
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in (PG_URL or "") else "?"
    engine = make_engine(f"{PG_URL}{sep}options=-csearch_path%3D{schema}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db_url(tmp_path: Path, request: Any) -> Iterator[str]:
    """A fresh, migrated-by-create_all database: SQLite file, or a PostgreSQL schema."""
    from engine.core.db import make_engine
    from engine.models import Base

    if PG_URL:
        request.getfixturevalue("pg_ready")
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = make_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in PG_URL else "?"
        url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        try:
            yield url
            _check_claim_keys(url)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        url = f"sqlite:///{tmp_path / 'onething.db'}"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        yield url
        _check_claim_keys(url)


def _check_claim_keys(url: str) -> None:
    """After every test: the inbox's claim keys say what each open task's candidates say."""
    from engine.core.db import make_engine, make_session_factory, unit_of_work
    from engine.runtime import work_keys

    engine = make_engine(url)
    try:
        with unit_of_work(make_session_factory(engine), read_only=True) as s:
            drifted = work_keys.drifted(s)
    finally:
        engine.dispose()
    assert not drifted, f"open tasks whose claim keys drifted from their candidates: {drifted}"


@pytest.fixture
def db(db_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on the fresh database."""
    from engine.core.db import make_engine, make_session_factory

    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def services() -> Any:
    from adapters.services import default_services

    return default_services()


@pytest.fixture
def rt(services: Any) -> Any:
    """A fresh engine (own spec and workflow caches) with the offline service connectors."""
    from engine.core import clock
    from engine.runtime.engine import Engine

    clock.reset()
    yield Engine(services=services)
    clock.reset()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the BPMN corpus is not beside this checkout ({CORPUS})")
    return CORPUS
