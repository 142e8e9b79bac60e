"""Unknown bearer tokens are counted per client address: past the limit, 429 with Retry-After
for every token from that address (even a right one) until the window frees it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.core import clock
from engine.core.db import unit_of_work
from engine.models import AuditEvent
from tests.web.support import Headers, assert_problem
from web.context import onething

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
BAD = {"Authorization": "Bearer ot_not-a-token-anyone-issued"}


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    clock.freeze(START)
    yield
    clock.reset()


def call(client: FlaskClient, headers: Headers, address: str = "198.51.100.7") -> object:
    return client.get("/api/v1/tasks", headers=headers, environ_base={"REMOTE_ADDR": address})


def test_an_address_sending_unknown_tokens_is_throttled(
        client: FlaskClient, make_user: Callable[..., Headers]) -> None:
    good = make_user("clara", "window_clerk")
    for n in range(20):
        headers = BAD if n % 2 else {"Authorization": f"Bearer guess-{n}"}
        assert_problem(call(client, headers), 401)
    refused = call(client, BAD)
    body = assert_problem(refused, 429)
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert body["retry_after"] == int(refused.headers["Retry-After"])
    # while locked even a right token from that address is refused, unread
    assert_problem(call(client, good), 429)
    # other addresses are not affected
    assert call(client, good, address="203.0.113.9").status_code == 200
    with unit_of_work(onething(client.application).factory) as session:
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "sign_in.tokens_locked")).one()
        assert event.detail["address"] == "198.51.100.7" and event.detail["failures"] == 20
    clock.advance(timedelta(minutes=15))
    assert call(client, good).status_code == 200
    assert_problem(call(client, BAD), 401)


def test_a_malformed_header_is_not_counted_as_a_guess(client: FlaskClient) -> None:
    for _ in range(25):
        assert_problem(call(client, {"Authorization": "Basic dXNlcjpwYXNz"}), 401)
    assert_problem(call(client, BAD), 401)
