"""Browser sessions kept on the server: an old or forged cookie opens nothing, and signing out,
a new password or an administrator's "sign out everywhere" end sessions at once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from engine.core.db import unit_of_work
from engine.models import AuditEvent, BrowserSession, User
from engine.org import users
from tests.ui.conftest import PASSWORD, csrf_of, sign_in
from web.context import onething

COOKIE = "session"


def browser(app: Flask, username: str) -> FlaskClient:
    """A new browser signed in as USERNAME."""
    client = app.test_client()
    sign_in(client, username)
    return client


def signed_in(client: FlaskClient) -> bool:
    return client.get("/portal/cases").status_code == 200


def forge(app: Flask, payload: dict[str, object]) -> str:
    """A session cookie holding PAYLOAD, signed with the app's own key."""
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return str(serializer.dumps(payload))


def test_a_cookie_copied_before_sign_out_is_refused_after_it(
        app: Flask, client: FlaskClient, person: Callable[..., str]) -> None:
    person("ann", "applicant")
    sign_in(client, "ann")
    copied = client.get_cookie(COOKIE)
    assert copied is not None and signed_in(client)
    client.post("/logout", data={"csrf_token": csrf_of(client, "/portal/")})
    thief = app.test_client()
    thief.set_cookie(COOKIE, copied.value)
    assert not signed_in(thief)
    with unit_of_work(onething(app).factory) as session:
        row = session.scalars(select(BrowserSession)).one()
        assert row.ended_at is not None and row.end_reason == "signed out"


def test_a_forged_cookie_opens_no_session(app: Flask, person: Callable[..., str]) -> None:
    # an account without a password (token-only) and the cookie an attacker who knows the
    # signing key would make for it: user id and the stamp of an empty password hash
    with unit_of_work(onething(app).factory) as session:
        uid = users.add_user(session, "robot", None, admin=True).id
    stamp = hashlib.sha256(b"").hexdigest()[:16]
    for payload in ({"uid": uid, "ustamp": stamp}, {"uid": uid, "sid": "guessed"},
                    {"sid": "a" * 43}):
        forger = app.test_client()
        forger.set_cookie(COOKIE, forge(app, payload))
        assert forger.get("/admin/users").status_code == 302, payload
        assert forger.get("/api/v1/tasks").status_code == 401, payload


def test_a_session_unused_past_its_idle_time_or_a_day_old_ends(app: Flask,
                                                  person: Callable[..., str]) -> None:
    person("ann", "applicant")
    client = browser(app, "ann")
    assert signed_in(client)
    with unit_of_work(onething(app).factory) as session:
        row = session.scalars(select(BrowserSession)).one()
        session.execute(update(BrowserSession).values(
            last_seen_at=row.last_seen_at - timedelta(hours=12, minutes=1)))
    assert not signed_in(client)
    # however busy, a session lasts a day at most
    busy = browser(app, "ann")
    with unit_of_work(onething(app).factory) as session:
        row = session.scalars(select(BrowserSession).where(
            BrowserSession.ended_at.is_(None), BrowserSession.id != row.id)).one()
        row.created_at -= timedelta(hours=24)
    assert not signed_in(busy)


def test_a_new_password_ends_every_session_of_the_user(app: Flask,
                                                       person: Callable[..., str]) -> None:
    person("ann", "applicant")
    person("root", admin=True)
    office, home = browser(app, "ann"), browser(app, "ann")
    admin = browser(app, "root")
    done = admin.post("/admin/users/ann/password", follow_redirects=True,
                      data={"csrf_token": csrf_of(admin, "/admin/users/ann"),
                            "password": "fresh-pass-2026"})
    assert done.status_code == 200
    assert not signed_in(office) and not signed_in(home)
    assert signed_in(admin)
    with unit_of_work(onething(app).factory) as session:
        reset = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "user.password_reset")).one()
        assert reset.detail == {"username": "ann", "sessions_ended": 2}
        ann = session.scalar(select(User.id).where(User.username == "ann"))
        reasons = session.scalars(select(BrowserSession.end_reason).where(
            BrowserSession.user_id == ann)).all()
        assert reasons == ["password changed", "password changed"]
    again = app.test_client()
    sign_in(again, "ann", "fresh-pass-2026")
    assert signed_in(again)


def test_the_admin_page_signs_a_user_out_everywhere(app: Flask,
                                                    person: Callable[..., str]) -> None:
    person("ann", "applicant")
    person("root", admin=True)
    office, home = browser(app, "ann"), browser(app, "ann")
    admin = browser(app, "root")
    page = admin.get("/admin/users/ann", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert 'data-testid="user-sessions">2<' in text and 'id="sign-out-everywhere"' in text
    done = admin.post("/admin/users/ann/sign-out", follow_redirects=True,
                      headers={"Accept-Language": "en"},
                      data={"csrf_token": csrf_of(admin, "/admin/users/ann")})
    text = done.get_data(as_text=True)
    assert "ann is signed out everywhere (2 sessions ended)" in text
    assert 'data-testid="user-sessions">0<' in text
    assert not signed_in(office) and not signed_in(home) and signed_in(admin)
    with unit_of_work(onething(app).factory) as session:
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "user.signed_out_everywhere")).one()
        assert (event.actor, event.detail) == ("root", {"username": "ann", "sessions": 2})
    assert signed_in(browser(app, "ann"))  # signing in again works


def test_the_api_signs_a_user_out_everywhere(app: Flask,
                                             person: Callable[..., str]) -> None:
    person("ann", "applicant")
    person("clara", "window_clerk")
    with unit_of_work(onething(app).factory) as session:
        users.add_user(session, "root", admin=True)
        admin = {"Authorization": f"Bearer {users.create_token(session, 'root')}"}
        clerk = {"Authorization": f"Bearer {users.create_token(session, 'clara')}"}
    office = browser(app, "ann")
    api = app.test_client()
    refused = api.post("/api/v1/admin/users/ann/sign-out", headers=clerk)
    assert refused.status_code == 403 and signed_in(office)
    assert api.post("/api/v1/admin/users/nobody/sign-out", headers=admin).status_code == 404
    done = api.post("/api/v1/admin/users/ann/sign-out", headers=admin)
    assert done.status_code == 200
    assert done.get_json() == {"username": "ann", "sessions_ended": 1}
    assert not signed_in(office)


def test_an_account_without_a_password_cannot_sign_in(app: Flask,
                                                     client: FlaskClient) -> None:
    with unit_of_work(onething(app).factory) as session:
        users.add_user(session, "robot", None)
        assert session.scalar(select(User.password_hash).where(User.username == "robot")) \
            is None
    response = client.post("/login", data={"username": "robot", "password": "",
                                           "csrf_token": csrf_of(client)})
    assert response.status_code == 401
    assert client.post("/login", data={"username": "robot", "password": PASSWORD,
                                       "csrf_token": csrf_of(client)}).status_code == 401


def test_deactivating_an_account_ends_its_sessions_for_good(
        app: Flask, person: Callable[..., str]) -> None:
    person("ann", "applicant")
    ann = browser(app, "ann")
    from engine.core.actors import Actor
    from engine.org import admin as org_admin

    root = Actor("root", is_admin=True)
    with unit_of_work(onething(app).factory) as session:
        org_admin.set_active(session, root, "ann", False)
    assert not signed_in(ann)
    with unit_of_work(onething(app).factory) as session:
        org_admin.set_active(session, root, "ann", True)
    # reactivating revives no old browser: it must sign in again
    assert not signed_in(ann)
    with unit_of_work(onething(app).factory) as session:
        done = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "user.deactivated")).one()
        assert done.detail["sessions_ended"] == 1
