"""Every page against every demo role: who gets the page, who a 403, who the sign-in page.

The table below is the specification. A page route that is not in it fails the test, so a
new page cannot be added without saying who may open it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.casework import cases
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.models import Deployment, WorkItem
from tests.browser.server import load_demo
from web.app import create_app
from web.context import onething
from web.demo_accounts import DEMO_ACCOUNTS

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

ANONYMOUS = "(anonymous)"
ROLES = tuple(a.username for a in DEMO_ACCOUNTS)
PASSWORDS = {a.username: a.password for a in DEMO_ACCOUNTS}

EVERYONE = frozenset(ROLES) | {ANONYMOUS}
APPLICANTS = frozenset({"applicant_ent", "agent_park", "admin"})
STAFF = frozenset({"clerk_tieying", "reviewer_market", "reviewer_fire", "agent_park",
                   "supervisor", "admin"})
SIGNED_IN = frozenset(ROLES)
WINDOW = frozenset({"clerk_tieying", "admin"})
DESIGNERS = frozenset({"designer", "admin"})
READERS = frozenset({"admin", "leader", "supervisor"})
OVERSEERS = frozenset({"admin", "leader", "supervisor"})
SEARCHERS = frozenset({"clerk_tieying", "reviewer_market", "reviewer_fire", "supervisor",
                       "leader", "admin"})

# the home page sends each visitor on to their own start page
REDIRECTS = ("/",)
# page (with {case}, {task}, {version} filled in) -> who gets it (200)
PAGES: dict[str, frozenset[str]] = {
    "/login": EVERYONE,
    "/portal/": EVERYONE,
    "/portal/bundles/restaurant": EVERYONE,
    "/portal/bundles/restaurant/situation": EVERYONE,
    "/portal/bundles/restaurant/notice?has_licence=false&area=80&menu=hot_food"
    "&outdoor_sign=false": EVERYONE,
    "/portal/bundles/restaurant/apply": APPLICANTS,
    "/portal/cases": APPLICANTS,
    "/portal/cases/{case}": frozenset({"applicant_ent", "admin"}),
    "/portal/notifications": APPLICANTS,
    "/portal/appointments": APPLICANTS,
    "/portal/visits": APPLICANTS,
    "/workbench": STAFF,
    "/workbench/tasks/{task}": frozenset({"clerk_tieying", "supervisor", "admin"}),
    "/workbench/desk": WINDOW,
    "/workbench/supervision": SIGNED_IN,
    "/workbench/follow-ups": SIGNED_IN,
    "/workbench/slots": WINDOW,
    "/workbench/visits": WINDOW,
    "/workbench/mobile": WINDOW,
    "/workbench/search": SEARCHERS,
    "/workbench/search?q={case}": SEARCHERS,
    "/studio": DESIGNERS,
    "/studio/versions/{version}": DESIGNERS,
    "/studio/versions/{version}/edit": DESIGNERS,
    "/studio/versions/{version}/heat": DESIGNERS,
    "/studio/diff?from={version}&to={version}": DESIGNERS,
    "/admin": READERS,
    "/admin/offices": READERS,
    "/admin/offices/branch_tieying": READERS,
    "/admin/catalog": READERS,
    "/admin/catalog/MS-001": READERS,
    "/admin/users": READERS,
    "/admin/users/clerk_tieying": READERS,
    "/admin/audit": READERS,
    "/admin/dashboard": OVERSEERS,
    "/admin/dashboard/throughput.csv": OVERSEERS,
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on the demo database, with one restaurant case waiting at the window."""
    folder: Path = tmp_path_factory.mktemp("matrix")
    url = f"sqlite:///{folder / 'onething.db'}"
    load_demo(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True, "EMBEDDED_WORKER": False,
                      "TRANSLATIONS_CACHE": str(folder / "translations"),
                      "MATERIALS_ROOT": str(folder / "materials")})
    shared = onething(app)
    with unit_of_work(shared.factory) as session:
        case = cases.start_case(
            shared.rt, session, "restaurant",
            {"applicant": "矩阵面馆",
             "answers": {"has_licence": False, "area": 80, "menu": "hot_food",
                         "outdoor_sign": False}},
            actor=Actor("applicant_ent", frozenset({"applicant"})),
            office="branch_tieying", channel="online")
        task = session.query(WorkItem).filter_by(case_id=case.id, element_id="accept").one()
        version = session.query(Deployment).filter_by(bundle_key="restaurant").one()
        app.config["MATRIX"] = {"case": case.number, "task": task.id,
                                "version": str(version.id)}
    yield app
    shared.close()


def _signed_in(app: Flask, who: str) -> FlaskClient:
    client = app.test_client()
    if who == ANONYMOUS:
        return client
    token = _TOKEN.search(client.get("/login").get_data(as_text=True))
    assert token is not None
    response = client.post("/login", data={"username": who, "password": PASSWORDS[who],
                                           "csrf_token": token.group(1)})
    assert response.status_code == 302, f"{who} could not sign in"
    return client


def _page_rules(app: Flask) -> set[str]:
    """Every GET page route of the app, as its rule."""
    rules = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in ("v1", "health", "metrics", "openapi", "static",
                                           "vendor"):
            continue
        if "GET" in (rule.methods or ()):
            rules.add(rule.rule)
    return rules


def test_every_page_route_is_in_the_matrix(app: Flask) -> None:
    ids = app.config["MATRIX"]
    urls = app.url_map.bind("localhost")
    specified = {urls.match(page.format(**ids).split("?")[0], "GET", return_rule=True)[0].rule
                 for page in (*PAGES, *REDIRECTS)}
    # pages about one thing of one case (a material, a cooperation item) need ids the
    # matrix does not make; their own tests check who may open them
    detail = {"/workbench/cases/<int:case_id>/materials/<int:material_id>",
              "/workbench/cooperation/<item_id>", "/portal/cases/<ref>/result"}
    assert _page_rules(app) - specified - detail == set(), \
        "pages without a row in the role matrix"


@pytest.mark.parametrize("who", (ANONYMOUS, *ROLES))
def test_each_role_gets_exactly_its_pages(app: Flask, who: str) -> None:
    client = _signed_in(app, who)
    ids = app.config["MATRIX"]
    wrong = []
    for page, allowed in PAGES.items():
        url = page.format(**ids)
        response = client.get(url)
        if who in allowed:
            expected = {200}
        elif who == ANONYMOUS:
            expected = {302}
        else:
            # a case or task of someone else is a 403 or, where its existence is private, 404
            expected = {403, 404} if "{" in page else {403}
        if response.status_code not in expected:
            wrong.append(f"{url}: {response.status_code}, expected {sorted(expected)}")
        elif response.status_code == 302:
            assert "/login" in response.headers["Location"], url
    for page in REDIRECTS:
        response = client.get(page)
        if response.status_code != 302:
            wrong.append(f"{page}: {response.status_code}, expected a redirect")
    assert wrong == [], f"{who}: " + "; ".join(wrong)
