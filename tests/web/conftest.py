"""Web fixtures: an app on the fresh database from tests/conftest.py, a client, a CLI runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient

from engine.core.db import unit_of_work
from engine.org import users
from tests.web.support import Headers
from web.app import create_app
from web.cli import main
from web.context import onething


@pytest.fixture
def app(db_url: str) -> Iterator[Flask]:
    """The app on a fresh database whose tables already exist (made by tests/conftest.py)."""
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "EMBEDDED_WORKER": False})
    yield app
    onething(app).close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Cli:
    """Invoke `onething` against the test database; stdout and stderr stay apart."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.runner = CliRunner()

    def __call__(self, *args: str, **kwargs: Any) -> Result:
        return self.runner.invoke(main, ["--database-url", self.db_url, *args], **kwargs)


@pytest.fixture
def runner(db_url: str) -> Cli:
    return Cli(db_url)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Headers]:
    """Create a user with GROUPS and return Authorization headers for a fresh token."""

    def make(username: str, *groups: str, admin: bool = False) -> Headers:
        with unit_of_work(onething(app).factory) as session:
            users.add_user(session, username, groups=list(groups), admin=admin)
            token = users.create_token(session, username, "tests")
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def admin(make_user: Callable[..., Headers]) -> Headers:
    return make_user("root", admin=True)

