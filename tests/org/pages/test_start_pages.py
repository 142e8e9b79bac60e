"""Each demo role lands on its own start page after signing in; a safe `next` still wins."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.org.pages.test_role_matrix import PASSWORDS, app

__all__ = ["app"]
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

START = {
    "applicant_ent": "/portal/",
    "agent_park": "/portal/",
    "clerk_tieying": "/workbench/desk",
    "reviewer_market": "/workbench",
    "reviewer_fire": "/workbench",
    "supervisor": "/workbench/supervision",
    "leader": "/admin/dashboard",
    "designer": "/studio",
    "admin": "/admin",
}


def _sign_in(app: Flask, who: str, next_page: str | None = None) -> str:
    client = app.test_client()
    token = _TOKEN.search(client.get("/login").get_data(as_text=True))
    assert token is not None
    form = {"username": who, "password": PASSWORDS[who], "csrf_token": token.group(1)}
    if next_page is not None:
        form["next"] = next_page
    response = client.post("/login", data=form)
    assert response.status_code == 302, who
    landed = client.get(response.headers["Location"])
    assert landed.status_code == 200, (who, response.headers["Location"])
    return str(response.headers["Location"])


@pytest.mark.parametrize("who", sorted(START))
def test_each_role_lands_on_its_start_page(app: Flask, who: str) -> None:
    assert _sign_in(app, who) == START[who]


def test_a_safe_next_wins_and_an_unsafe_one_does_not(app: Flask) -> None:
    assert _sign_in(app, "reviewer_market", "/workbench/search") == "/workbench/search"
    assert _sign_in(app, "reviewer_market", "//evil.example/") == "/workbench"


def test_the_front_door_sends_a_signed_in_person_to_the_same_page(app: Flask) -> None:
    client = app.test_client()
    token = _TOKEN.search(client.get("/login").get_data(as_text=True))
    assert token is not None
    client.post("/login", data={"username": "leader", "password": PASSWORDS["leader"],
                                "csrf_token": token.group(1)})
    assert client.get("/").headers["Location"] == "/admin/dashboard"
