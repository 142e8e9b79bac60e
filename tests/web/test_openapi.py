"""The OpenAPI document matches the routes Flask serves, and errors are problem+json."""

from __future__ import annotations

import re
from typing import Any

import pytest

PROBLEM_JSON = "application/problem+json"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def doc(client) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        section, kind, name = node["$ref"].removeprefix("#/").split("/")
        node = doc[section][kind][name]
    return node


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in doc["paths"].items()
            for method, op in item.items() if method in METHODS]


# the blueprints of the JSON API; the HTML pages (web/ui) are not part of the document
API_BLUEPRINTS = ("v1", "health", "metrics", "openapi")


def served_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in API_BLUEPRINTS:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_document_is_openapi_3_1_with_bearer_auth(doc):
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert doc["security"] == [{"bearerAuth": []}]


def test_every_route_is_documented_and_every_documented_route_exists(app, doc):
    documented = {(path, method) for path, method, _ in operations(doc)}
    assert served_routes(app) == documented


def test_path_parameters_match_the_route(doc):
    for path, method, op in operations(doc):
        declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), f"{method} {path}"


def test_every_error_response_is_problem_json(doc):
    for path, method, op in operations(doc):
        errors = {code: resolve(doc, r) for code, r in op["responses"].items()
                  if not code.startswith("2")}
        assert errors, f"{method} {path} documents no errors"
        for code, response in errors.items():
            schema = response["content"][PROBLEM_JSON]["schema"]
            assert resolve(doc, schema)["required"] == ["type", "title", "status", "detail"], \
                f"{method} {path} {code}"


def test_protected_operations_document_401_and_public_ones_opt_out(doc):
    for path, method, op in operations(doc):
        if path.startswith("/api/v1/"):
            assert "401" in op["responses"] and "security" not in op, f"{method} {path}"
        else:
            assert op["security"] == [], f"{method} {path}"


def test_every_reference_resolves(doc):
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                resolve(doc, node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)


def test_operation_ids_are_unique(doc):
    ids = [op["operationId"] for _, _, op in operations(doc)]
    assert len(ids) == len(set(ids))


def test_documented_errors_are_what_the_api_answers(client, admin):
    # a sample: a protected route without a token answers the documented 401 problem
    response = client.post("/api/v1/signals", json={"name": "x"})
    assert response.status_code == 401 and response.mimetype == PROBLEM_JSON
