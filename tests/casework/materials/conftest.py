"""Material fixtures: a store under tmp_path, a started restaurant case, an app that uses both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from adapters.files import LocalFileStore
from tests.casework.materials.samples import start_restaurant
from tests.web.conftest import client, make_user  # noqa: F401 - shared web fixtures
from web.app import create_app
from web.context import onething

MATERIAL_LIMIT = 64 * 1024


@pytest.fixture
def store(tmp_path: Path) -> LocalFileStore:
    return LocalFileStore(tmp_path / "materials")


@pytest.fixture
def case_id(db: sessionmaker[Session], rt: Any) -> int:
    """A running restaurant case of zhang_san, waiting at the window."""
    return start_restaurant(db, rt)


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app with its materials under tmp_path and a small upload limit."""
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "EMBEDDED_WORKER": False,
                      "MATERIALS_ROOT": str(tmp_path / "app-materials"),
                      "MATERIALS_MAX_BYTES": MATERIAL_LIMIT})
    yield app
    onething(app).close()
