"""Page fixtures: the app of tests/web, people who sign in, a deployed restaurant bundle."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.core.actors import SYSTEM
from engine.core.db import unit_of_work
from engine.design import deployments
from engine.org import users
from web.app import create_app
from web.context import onething

ROOT = Path(__file__).resolve().parents[2]
BUNDLES = ROOT / "bpmn" / "bundles"
ORG = ROOT / "bpmn" / "offices" / "org.yaml"
CATALOG = ROOT / "bpmn" / "catalog" / "items.yaml"
PASSWORD = "secret-pass"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh database, compiling its translations into the test's folder."""
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "EMBEDDED_WORKER": False,
                      "TRANSLATIONS_CACHE": str(tmp_path / "translations"),
                      "MATERIALS_ROOT": str(tmp_path / "materials")})
    yield app
    onething(app).close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def person(app: Flask) -> Callable[..., str]:
    """Create a user with GROUPS and the test password; return the username."""

    def make(username: str, *groups: str, admin: bool = False) -> str:
        with unit_of_work(onething(app).factory) as session:
            users.add_user(session, username, PASSWORD, groups=list(groups), admin=admin)
        return username

    return make


def csrf_of(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token a page at PATH carries."""
    page = client.get(path).get_data(as_text=True)
    found = _TOKEN.search(page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form."""
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": csrf_of(client)})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def restaurant(app: Flask) -> str:
    """Deploy the restaurant bundle with the sample catalogue and org model (its offices)."""
    from engine.org import catalog, offices

    with unit_of_work(onething(app).factory) as session:
        catalog.import_catalog(session, CATALOG, actor=SYSTEM)
        offices.import_offices(session, ORG, SYSTEM)
        files = deployments.read_paths(sorted((BUNDLES / "restaurant").iterdir()))
        deployments.deploy(session, files, actor=SYSTEM, bundle_key="restaurant")
    return "restaurant"
