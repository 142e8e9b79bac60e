"""Database engines and sessions: SQLite (WAL, foreign keys) or PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Insert, Table, create_engine, event, insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, make_transient_to_detached, sessionmaker

DEFAULT_SQLITE = "sqlite:///instance/onething.db"
READ_ONLY = "onething_read_only"


def database_url(explicit: str | None = None) -> str:
    """Pick the database URL: explicit, ONETHING_DATABASE_URL, else the SQLite file."""
    return explicit or os.environ.get("ONETHING_DATABASE_URL") or DEFAULT_SQLITE


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an SQLAlchemy engine with the pragmas and pool this project needs."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs
        )
        _sqlite_pragmas(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _sqlite_pragmas(engine: Engine) -> None:
    # pysqlite's own transaction handling issues BEGIN lazily, which lets two
    # writers both read then fail to upgrade their lock; we take the write lock
    # up front (BEGIN IMMEDIATE) so a command either waits its turn or times out.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session], *, read_only: bool = False) -> Iterator[Session]:
    """One command, one transaction: commit on success, roll back on any error.

    A read-only unit (pages and GET requests) does not take SQLite's write lock,
    so reading never waits behind a worker advancing a case.
    """
    session = factory()
    if read_only:
        session.connection(execution_options={READ_ONLY: True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


_INSERTS: dict[tuple[str, bool], Insert] = {}


def insert_rows(session: Session, objects: list[Any]) -> None:
    """Insert new ORM objects of one class with one statement, as rows already loaded.

    The hot path's alternative to the unit of work's flush: columns left unset get
    their scalar default (or NULL), a single-column primary key left unset is taken
    from the database, and each object ends detached with its identity, so
    ``session.add`` makes it persistent without writing it again. Related objects are
    not cascaded: insert them with their own call.
    """
    if not objects:
        return
    mapper = sa_inspect(type(objects[0]))
    table: Table = mapper.local_table
    pk = mapper.primary_key[0] if len(mapper.primary_key) == 1 else None
    pk_attr = mapper.get_property_by_column(pk).key if pk is not None else None
    generate = pk_attr is not None and getattr(objects[0], pk_attr) is None
    columns = [(mapper.get_property_by_column(c).key, c) for c in table.columns
               if not (generate and c is pk)]
    rows = []
    for obj in objects:
        row = {}
        for attr, column in columns:
            value = obj.__dict__.get(attr)
            if value is None and column.default is not None and column.default.is_scalar:
                value = column.default.arg  # type: ignore[attr-defined]
                setattr(obj, attr, value)
            elif attr not in obj.__dict__:
                setattr(obj, attr, None)
            row[column.key] = value
        rows.append(row)
    key = (table.name, generate)
    statement = _INSERTS.get(key)
    if statement is None:
        statement = insert(table)
        if generate:
            assert pk is not None
            statement = statement.returning(pk, sort_by_parameter_order=True)
        _INSERTS[key] = statement
    result = session.connection().execute(statement, rows)
    if generate:
        for obj, new_id in zip(objects, result.scalars().all(), strict=True):
            setattr(obj, pk_attr, new_id)  # type: ignore[arg-type]
    for obj in objects:
        make_transient_to_detached(obj)
