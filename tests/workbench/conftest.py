"""Fixtures of the workbench tests: the web app and a county with two branches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine import clock
from web.app import create_app, onething

from .support import County


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh database, with translations and materials in the test's folder."""
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "EMBEDDED_WORKER": False,
                      "TRANSLATIONS_CACHE": str(tmp_path / "translations"),
                      "MATERIALS_ROOT": str(tmp_path / "materials")})
    yield app
    onething(app).close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def county(app: Flask) -> Iterator[County]:
    """The restaurant bundle deployed, two branches, two departments and their staff."""
    clock.reset()
    yield County(app).setup()
    clock.reset()
