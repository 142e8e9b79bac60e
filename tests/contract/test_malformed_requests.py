"""Requests no generator writes on its own: broken JSON, the wrong media type, no token.

Each must be answered with a status the operation lists, as problem+json.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.contract.test_openapi_contract import OPERATIONS, PATHS, assert_status_listed

PROBLEM = "application/problem+json"
JSON_BODIES = [(path, method) for path, method in OPERATIONS
               if "application/json" in PATHS[path][method].get("requestBody", {})
               .get("content", {})]
PROTECTED = [(path, method) for path, method in OPERATIONS
             if PATHS[path][method].get("security") != []]


def _url(path: str, known_ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: known_ids.get(m.group(1), "1"), path)


def _ids(operations: list[tuple[str, str]]) -> list[str]:
    return [f"{method.upper()} {path}" for path, method in operations]


def _check(path: str, method: str, response: Any) -> None:
    body = response.get_data(as_text=True)
    assert_status_listed(path, method, response.status_code, body)
    assert response.mimetype == PROBLEM, body[:300]


@pytest.mark.parametrize(("path", "method"), JSON_BODIES, ids=_ids(JSON_BODIES))
def test_broken_json_and_other_media_types_are_refused(
        demo_app: Flask, admin_headers: dict[str, str], known_ids: dict[str, str],
        path: str, method: str) -> None:
    client = demo_app.test_client()
    url = _url(path, known_ids)
    for data, content_type in (('{"process": ', "application/json"),
                               ("[1, 2, 3]", "application/json"),
                               ("process=restaurant", "application/x-www-form-urlencoded"),
                               ("just text", "text/plain")):
        response = client.open(url, method=method.upper(), headers=admin_headers, data=data,
                               content_type=content_type)
        assert response.status_code >= 400, (content_type, data)
        _check(path, method, response)


@pytest.mark.parametrize(("path", "method"), PROTECTED, ids=_ids(PROTECTED))
def test_no_token_or_a_bad_one_is_a_listed_401(demo_app: Flask, known_ids: dict[str, str],
                                               path: str, method: str) -> None:
    client = demo_app.test_client()
    url = _url(path, known_ids)
    for headers in ({}, {"Authorization": "Bearer ot_not-a-token"},
                    {"Authorization": "Basic YWRtaW46YWRtaW4="}):
        response = client.open(url, method=method.upper(), headers=headers, json={})
        assert response.status_code == 401
        _check(path, method, response)
