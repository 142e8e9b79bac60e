"""Sign-in, sessions, CSRF, languages, error pages and the front-end package route."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from tests.ui.conftest import PASSWORD, csrf_of, sign_in


def test_login_sets_a_hardened_session_cookie_and_logout_ends_it(
        client: FlaskClient, person: Callable[..., str]) -> None:
    person("ann", "applicant")
    response = client.post("/login", data={"username": "ann", "password": PASSWORD,
                                           "csrf_token": csrf_of(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/portal/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/portal/").get_data(as_text=True)
    assert 'data-testid="user-menu"' in page and 'href="/portal/cases"' in page
    token = csrf_of(client, "/portal/")
    assert client.get("/logout").status_code == 405  # sign-out is a POST only
    out = client.post("/logout", data={"csrf_token": token})
    assert out.status_code == 302 and out.headers["Location"] == "/login"
    follow = client.get("/portal/cases")
    assert follow.status_code == 302 and follow.headers["Location"].startswith("/login")


def test_wrong_password_is_a_message_not_a_session(client: FlaskClient,
                                                   person: Callable[..., str]) -> None:
    person("ann", "applicant")
    response = client.post("/login", data={"username": "ann", "password": "nope",
                                           "csrf_token": csrf_of(client)},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True)
    assert client.get("/portal/cases").status_code == 302


def test_forms_without_the_csrf_token_are_refused(client: FlaskClient,
                                                  person: Callable[..., str]) -> None:
    person("ann", "applicant")
    csrf_of(client)  # the session now has a token
    refused = client.post("/login", data={"username": "ann", "password": PASSWORD},
                          headers={"Accept-Language": "en"})
    assert refused.status_code == 400
    assert refused.mimetype == "text/html"
    assert 'data-testid="error-page"' in refused.get_data(as_text=True)
    wrong = client.post("/login", data={"username": "ann", "password": PASSWORD,
                                        "csrf_token": "forged"})
    assert wrong.status_code == 400
    sign_in(client, "ann")
    assert client.post("/logout").status_code == 400
    assert client.get("/portal/cases").status_code == 200  # still signed in


def test_language_follows_accept_language_then_the_cookie(client: FlaskClient) -> None:
    english = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    text = chinese.get_data(as_text=True)
    assert '<html lang="zh-CN">' in text and "登录" in text
    assert '<html lang="zh-CN">' in client.get("/login").get_data(as_text=True)
    switched = client.post("/language", data={"lang": "en", "next": "/login",
                                              "csrf_token": csrf_of(client)})
    assert switched.status_code == 302 and switched.headers["Location"] == "/login"
    again = client.get("/login", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in again.get_data(as_text=True)


def test_a_users_language_setting_wins_over_the_browser(app: Flask, client: FlaskClient,
                                                        person: Callable[..., str]) -> None:
    person("ann", "applicant")
    sign_in(client, "ann")
    client.post("/language", data={"lang": "en", "next": "/portal/",
                                   "csrf_token": csrf_of(client, "/portal/")})
    # a new browser (no cookie) asking for Chinese still gets the user's English
    other = app.test_client()
    sign_in(other, "ann")
    page = other.get("/portal/", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in page.get_data(as_text=True)


def test_unknown_pages_and_missing_rights_are_pages(client: FlaskClient,
                                                    person: Callable[..., str]) -> None:
    missing = client.get("/portal/bundles/no-such-bundle", headers={"Accept-Language": "en"})
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert 'data-status="404"' in missing.get_data(as_text=True)
    person("clerk", "window_clerk")
    sign_in(client, "clerk")
    refused = client.get("/portal/cases", headers={"Accept-Language": "en"})
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    assert 'data-status="403"' in refused.get_data(as_text=True)
    # the API keeps answering problem+json
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.mimetype == "application/problem+json"


def test_nav_shows_each_role_its_sections(client: FlaskClient,
                                          person: Callable[..., str]) -> None:
    person("boss", admin=True)
    sign_in(client, "boss")
    page = client.get("/portal/").get_data(as_text=True)
    for href in ("/portal/cases", "/workbench", "/studio", "/admin", "/admin/dashboard"):
        assert f'href="{href}"' in page
    assert 'href="#main"' in page and '<main id="main"' in page


def test_vendor_files_come_from_an_allow_list(client: FlaskClient) -> None:
    viewer = client.get("/vendor/bpmn-js/dist/bpmn-navigated-viewer.production.min.js")
    assert viewer.status_code == 200
    viewer.close()
    style = client.get("/vendor/bpmn-js/dist/assets/bpmn-js.css")
    assert style.status_code == 200 and style.mimetype == "text/css"
    style.close()
    assert client.get("/vendor/bpmn-js/package.json").status_code == 404
    assert client.get("/vendor/../pyproject.toml").status_code == 404


def test_pages_carry_a_content_security_policy_without_inline_script(
        client: FlaskClient, person: Callable[..., str]) -> None:
    person("ann", "applicant")
    pages = [client.get("/login"), client.get("/nowhere")]
    sign_in(client, "ann")
    pages.append(client.get("/portal/cases"))
    for page in pages:
        policy = page.headers["Content-Security-Policy"]
        directives = dict(part.strip().partition(" ")[::2] for part in policy.split(";"))
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert directives["default-src"] == "'none'" and directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'none'"
        assert "unsafe" not in policy
    # JSON and static files need no policy of their own
    assert "Content-Security-Policy" not in client.get("/healthz").headers


def test_templates_hold_no_inline_script_or_event_handler() -> None:
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "web" / "templates"
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.S)
    found = [f"{path.name}: {hit}" for path in sorted(templates.rglob("*.html"))
             for hit in inline.findall(path.read_text()) + handler.findall(path.read_text())
             + (["javascript:"] if "javascript:" in path.read_text() else [])]
    assert not found, found
