"""A fresh PostgreSQL schema for a test module or a benchmark, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from engine.core.db import make_engine


@contextmanager
def fresh_schema(base_url: str, prefix: str) -> Iterator[str]:
    """A URL on BASE_URL's database whose search path is a new schema named PREFIX_...;
    the schema and everything in it are dropped on leaving."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
