"""What every request meets: authentication, body parsing and errors as problem+json."""

from __future__ import annotations

import pytest

from engine.core import migrate
from tests.web.support import assert_problem
from web.app import create_app
from web.context import onething


def test_missing_token_is_401_with_a_challenge(client):
    response = client.get("/api/v1/cases")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="onething"'


@pytest.mark.parametrize("header", ["Bearer ot_not-a-real-token", "Bearer nope", "Basic abc",
                                    "Bearer"])
def test_bad_credentials_are_401(client, header):
    response = client.get("/api/v1/tasks", headers={"Authorization": header})
    assert_problem(response, 401)
    assert "invalid_token" in response.headers["WWW-Authenticate"]


def test_a_valid_token_names_the_caller(client, make_user):
    headers = make_user("clerk", "window_clerk")
    assert client.get("/api/v1/tasks", headers=headers).status_code == 200


def test_malformed_json_is_400(client, admin):
    response = client.post("/api/v1/cases", headers=admin, data="{not json",
                           content_type="application/json")
    assert "not valid JSON" in assert_problem(response, 400)["detail"]


def test_deeply_nested_json_is_400(client, admin):
    response = client.post("/api/v1/cases", headers=admin, data="[" * 100_000,
                           content_type="application/json")
    assert "too deeply" in assert_problem(response, 400)["detail"]


def test_data_nested_beyond_any_form_is_422(client, admin):
    body = '{"process": "p", "data": {"x": ' + "[" * 500 + "]" * 500 + "}}"
    response = client.post("/api/v1/cases", headers=admin, data=body,
                           content_type="application/json")
    assert "levels deep" in assert_problem(response, 422)["detail"]


def test_a_body_that_is_not_json_is_415(client, admin):
    response = client.post("/api/v1/signals", headers=admin, data="name=x",
                           content_type="application/x-www-form-urlencoded")
    assert_problem(response, 415)


def test_a_json_array_body_is_422(client, admin):
    assert_problem(client.post("/api/v1/messages", headers=admin, json=["x"]), 422)


def test_an_empty_body_where_one_is_needed_is_422(client, admin):
    assert_problem(client.post("/api/v1/messages", headers=admin), 422)


def test_unknown_path_and_wrong_method_are_problems(client, admin):
    assert_problem(client.get("/api/v1/nothing-here", headers=admin), 404)
    response = client.delete("/api/v1/cases", headers=admin)
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]


def test_unexpected_errors_are_500_without_a_traceback(db_url):
    app = create_app({"DATABASE_URL": db_url, "TESTING": True})

    @app.get("/api/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    @app.get("/page-boom")
    def page_boom() -> str:
        raise RuntimeError("secret internals")

    try:
        response = app.test_client().get("/api/boom")
        body = assert_problem(response, 500)
        assert "secret" not in response.get_data(as_text=True)
        assert body["title"] == "Internal Server Error"
        # a page says sorry in HTML, without the internals either
        page = app.test_client().get("/page-boom")
        assert page.status_code == 500 and page.mimetype == "text/html"
        assert "secret" not in page.get_data(as_text=True)
        assert "Traceback" not in page.get_data(as_text=True)
    finally:
        onething(app).close()


def test_health_is_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_does_not_answer():
    # port 1 on localhost refuses at once, so the check fails fast and offline
    app = create_app({"DATABASE_URL": "postgresql+psycopg://x:y@127.0.0.1:1/none"
                                      "?connect_timeout=2", "TESTING": True})
    try:
        body = assert_problem(app.test_client().get("/healthz"), 503)
        assert body["database"] == "unreachable"
    finally:
        onething(app).close()


def test_a_database_without_tables_is_503(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "TESTING": True})
    try:
        response = app.test_client().get("/api/v1/cases",
                                         headers={"Authorization": "Bearer ot_whatever"})
        assert "not migrated" in assert_problem(response, 503)["detail"]
        assert response.headers["Retry-After"] == "5"
    finally:
        onething(app).close()


def test_auto_migrate_builds_a_fresh_database(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "TESTING": True,
                      "AUTO_MIGRATE": True})
    try:
        assert app.test_client().get("/healthz").status_code == 200
        assert migrate.current(onething(app).db) == migrate.head()
    finally:
        onething(app).close()


def test_config_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ONETHING_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("ONETHING_SECRET_KEY", "s3cret")
    monkeypatch.setenv("ONETHING_EMBEDDED_WORKER", "false")
    app = create_app({"TESTING": True})
    try:
        assert app.config["SECRET_KEY"] == "s3cret"
        assert app.config["EMBEDDED_WORKER"] is False
        assert str(onething(app).db.url).endswith("env.db")
    finally:
        onething(app).close()


def test_text_no_database_can_store_is_422_wherever_it_comes(client, admin):
    """A NUL or a lone surrogate in a body, a query or a form: 422 naming it, not a 500."""
    body = assert_problem(client.post("/api/v1/cases", headers=admin, json={
        "process": "x", "data": {"note": "a\x00b"}}), 422)
    assert body["fields"][0]["path"] == "data/note"
    body = assert_problem(client.post("/api/v1/cases", headers=admin,
                                      data='{"process": "\\ud800"}',
                                      content_type="application/json"), 422)
    assert body["fields"][0]["path"] == "process"
    assert_problem(client.get("/api/v1/cases?bundle=a%00b", headers=admin), 422)
    assert client.post("/login", data={"username": "a\x00", "password": "x"}).status_code \
        == 422


def test_numbers_json_cannot_carry_are_422(client, admin):
    """NaN and 1e999 (an infinity) in a body: 422 naming the field, never echoed back."""
    for raw, path in (('{"process": "x", "data": {"n": NaN}}', "data/n"),
                      ('{"process": "x", "data": {"n": 1e999}}', "data/n"),
                      ('{"process": "x", "data": {"n": [-Infinity]}}', "data/n/0")):
        body = assert_problem(client.post("/api/v1/cases", headers=admin, data=raw,
                                          content_type="application/json"), 422)
        assert [f["path"] for f in body["fields"]] == [path]
