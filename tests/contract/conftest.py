"""One demo database for the whole contract run (SQLite file, or a PostgreSQL schema)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from engine.core.db import unit_of_work
from engine.org import users
from tests.browser.server import load_demo
from tests.conftest import PG_URL
from tests.schemas import fresh_schema
from web.app import create_app
from web.context import onething


@pytest.fixture(scope="package")
def contract_db_url(tmp_path_factory: pytest.TempPathFactory,
                    request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh database shared by every generated request of the module."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('contract') / 'onething.db'}"
        return
    request.getfixturevalue("pg_ready")
    with fresh_schema(PG_URL, "c") as url:
        yield url


@pytest.fixture(scope="package")
def demo_app(contract_db_url: str, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[Flask]:
    """The app on the demo database, migrated and loaded as `onething demo` does it."""
    load_demo(contract_db_url)
    app = create_app({"DATABASE_URL": contract_db_url, "TESTING": True,
                      "EMBEDDED_WORKER": False,
                      # one client sends an unknown token to every operation: the throttle
                      # would answer 429 after the first twenty (tests/org/api/test_token_throttle)
                      "TOKEN_ADDRESS_LIMIT": 1_000_000,
                      "MATERIALS_ROOT": str(tmp_path_factory.mktemp("materials"))})
    yield app
    onething(app).close()


@pytest.fixture(scope="package")
def admin_headers(demo_app: Flask) -> dict[str, str]:
    """Authorization headers with a fresh bearer token of the demo admin."""
    with unit_of_work(onething(demo_app).factory) as session:
        token = users.create_token(session, "admin", "contract test")
    return {"Authorization": f"Bearer {token}"}




@pytest.fixture(scope="package")
def known_ids(demo_app: Flask, admin_headers: dict[str, str]) -> dict[str, str]:
    """Path parameter values that name real objects: a deployment, an item, an account ...

    A throw-away account stands in for `username`, so generated requests that deactivate
    or re-password someone never lock the admin out.
    """
    client = demo_app.test_client()
    with unit_of_work(onething(demo_app).factory) as session:
        users.add_user(session, "contract_user", "contract-pass", groups=["applicant"])
    deployments = client.get("/api/v1/deployments?bundle=restaurant",
                             headers=admin_headers).get_json()
    items = client.get("/api/v1/catalog/items?limit=1", headers=admin_headers).get_json()
    return {"deployment_id": str(deployments["items"][0]["id"]), "key": "restaurant",
            "code": items["items"][0]["code"], "username": "contract_user",
            "name": "restaurant.bpmn"}
