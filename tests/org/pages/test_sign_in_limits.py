"""The sign-in throttle on the login page: per account and per client address, a clear
message in the page's language, an audit event, and the lock lifted after its window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.core import clock
from engine.core.db import unit_of_work
from engine.models import AuditEvent, SignInAttempt
from engine.org import throttle
from tests.ui.conftest import PASSWORD, csrf_of
from web.context import onething

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    clock.freeze(START)
    yield
    clock.reset()


def attempt(client: FlaskClient, username: str, password: str, *,
            headers: dict[str, str] | None = None, address: str = "198.51.100.7") -> object:
    """Post the login form from ADDRESS."""
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_of(client)},
                       headers=headers or EN, environ_base={"REMOTE_ADDR": address})


def actions(app: Flask) -> list[tuple[str, dict[str, object]]]:
    with unit_of_work(onething(app).factory) as session:
        return [(e.action, e.detail) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("sign_in.%"))
            .order_by(AuditEvent.id))]


def test_repeated_failures_lock_the_account_with_a_message_and_an_audit_event(
        app: Flask, client: FlaskClient, person: Callable[..., str]) -> None:
    person("ann", "applicant")
    for _ in range(4):
        assert attempt(client, "ann", "wrong-guess-1").status_code == 401
    fifth = attempt(client, "ann", "wrong-guess-1")
    assert fifth.status_code == 429
    assert "Too many failed sign-ins for this account" in fifth.get_data(as_text=True)
    assert 0 < int(fifth.headers["Retry-After"]) <= 15 * 60
    # locked: even the right password is refused, and the page says it in Chinese too
    right = attempt(client, "ann", PASSWORD, headers=ZH)
    assert right.status_code == 429
    text = right.get_data(as_text=True)
    assert "该账号登录失败次数过多" in text and 'data-testid="login-error"' in text
    assert client.get("/portal/cases").status_code == 302
    locked = actions(app)
    assert [a for a, _ in locked] == ["sign_in.account_locked"]
    assert locked[0][1]["username"] == "ann" and locked[0][1]["failures"] == 5
    assert locked[0][1]["address"] == "198.51.100.7"

    clock.advance(timedelta(minutes=14))
    assert attempt(client, "ann", PASSWORD).status_code == 429
    clock.advance(timedelta(minutes=1))
    signed = attempt(client, "ann", PASSWORD)
    assert signed.status_code == 302
    assert client.get("/portal/cases").status_code == 200


def test_a_success_forgets_the_accounts_failures(client: FlaskClient,
                                                 person: Callable[..., str]) -> None:
    person("ann", "applicant")
    for _ in range(4):
        attempt(client, "ann", "wrong-guess-1")
    assert attempt(client, "ann", PASSWORD).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_of(client, "/portal/")})
    for _ in range(4):
        assert attempt(client, "ann", "wrong-guess-1").status_code == 401


def test_another_account_is_not_locked_by_the_first_ones_failures(
        client: FlaskClient, person: Callable[..., str]) -> None:
    person("ann", "applicant")
    person("bob", "applicant")
    for _ in range(5):
        attempt(client, "ann", "wrong-guess-1")
    assert attempt(client, "ann", PASSWORD).status_code == 429
    assert attempt(client, "bob", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked(app: Flask, client: FlaskClient,
                                                    person: Callable[..., str]) -> None:
    person("ann", "applicant")
    # below every account's limit, but twenty failures from one address in the window
    for n in range(20):
        attempt(client, f"nobody{n % 10}", "wrong-guess-1")
    refused = attempt(client, "ann", PASSWORD)
    assert refused.status_code == 429
    assert "from your network address" in refused.get_data(as_text=True)
    assert "sign_in.address_locked" in [a for a, _ in actions(app)]
    # another address still signs in to the same account
    assert attempt(client, "ann", PASSWORD, address="203.0.113.9").status_code == 302


def test_the_limits_follow_the_configuration(db_url: str, tmp_path) -> None:
    from web.app import create_app

    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "EMBEDDED_WORKER": False,
                      "TRANSLATIONS_CACHE": str(tmp_path / "translations"),
                      "SIGN_IN_ACCOUNT_LIMIT": 2, "SIGN_IN_WINDOW_MINUTES": 1})
    try:
        client = app.test_client()
        assert attempt(client, "ann", "wrong-guess-1").status_code == 401
        assert attempt(client, "ann", "wrong-guess-1").status_code == 429
        clock.advance(timedelta(minutes=1))
        assert attempt(client, "ann", "wrong-guess-1").status_code == 401
    finally:
        onething(app).close()


def test_attempts_racing_on_several_workers_never_pass_the_limit(app: Flask) -> None:
    factory = onething(app).factory
    limits = throttle.Limits(account=3)
    # eight requests noted at once (none has been counted again yet), as several workers
    # would; every one of them counts again only after all eight are committed
    for _ in range(8):
        with unit_of_work(factory) as session:
            session.add(SignInAttempt(kind=throttle.PASSWORD, account="ann",
                                      address="198.51.100.7", at=clock.now(),
                                      outcome=throttle.PENDING))
    with unit_of_work(factory) as session:
        ids = list(session.scalars(select(SignInAttempt.id).order_by(SignInAttempt.id)))
    admitted = 0
    for row_id in ids:
        with unit_of_work(factory) as session:
            refusal = throttle.admitted(session, limits,
                                        throttle.Attempt(row_id, "ann", "198.51.100.7"))
        admitted += refusal is None
    assert admitted <= limits.account


def test_ipv6_clients_are_counted_by_their_network() -> None:
    assert throttle.address_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert throttle.address_key("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64"
    assert throttle.address_key("::ffff:198.51.100.7") == "198.51.100.7"
    assert throttle.address_key("198.51.100.7") == "198.51.100.7"
    assert throttle.address_key(None) == "unknown"
