"""Requests generated from /api/openapi.json, valid and invalid: no 500, nothing undocumented.

Every operation gets a few generated requests (bodies, query strings, unknown ids) sent as
the demo admin with a bearer token; valid ones are sent again with path parameters that name
real objects (a running restaurant case, its work item, a deployment ...). Each response
must be a status the operation lists (its `default` response documents the 500 that must
never come), with a documented content type, and never a server error.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    status_code_conformance,
)

from tests.contract.objects import start_case
from web.api.openapi import document

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
EXAMPLES = 4
METHODS = {"get", "post", "put", "patch", "delete"}
PATHS = document()["paths"]
OPERATIONS = sorted((path, method) for path, item in PATHS.items()
                    for method in item if method in METHODS)


def assert_status_listed(path: str, method: str, status: int, body: str) -> None:
    """STATUS must be listed for the operation itself: `default` stands for 500 only."""
    listed = set(PATHS[path][method]["responses"]) - {"default"}
    assert str(status) in listed or f"{status // 100}XX" in listed, (
        f"{method.upper()} {path} answered {status}, which its responses do not list "
        f"({', '.join(sorted(listed))}): {body[:300]}")


@pytest.fixture(scope="module")
def api_schema(demo_app: Flask) -> Any:
    """The app's own OpenAPI document, loaded by schemathesis against the WSGI app."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", demo_app)


def _has_inputs(operation: Any) -> bool:
    return bool(operation.body or list(operation.iter_parameters()))


def send_examples(operation: Any, mode: GenerationMode, path: str, method: str,
                  headers: dict[str, str], known_ids: dict[str, str]) -> None:
    """Send a few generated requests of MODE and check each answer against the document."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def answers(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)
        assert_status_listed(path, method, response.status_code, response.text)
        real = {name: known_ids[name] for name in case.path_parameters or {}
                if name in known_ids}
        if real and mode is GenerationMode.POSITIVE:
            case.path_parameters = {**case.path_parameters, **real}
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)
            assert_status_listed(path, method, response.status_code, response.text)

    answers()


@pytest.mark.parametrize(("path", "method"), OPERATIONS,
                         ids=[f"{method.upper()} {path}" for path, method in OPERATIONS])
def test_operation_answers_as_documented(api_schema: Any, demo_app: Flask,
                                         admin_headers: dict[str, str],
                                         known_ids: dict[str, str], path: str,
                                         method: str) -> None:
    operation = api_schema[path][method.upper()]
    if "{case_ref}" in path or "{item_id}" in path:
        # a case of its own, so that cancelling it here leaves other operations a live one
        known_ids = {**known_ids, **start_case(demo_app, admin_headers)}
    send_examples(operation, GenerationMode.POSITIVE, path, method, admin_headers, known_ids)
    if _has_inputs(operation):
        send_examples(operation, GenerationMode.NEGATIVE, path, method, admin_headers,
                      known_ids)
