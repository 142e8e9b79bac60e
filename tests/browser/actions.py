"""What a user does again and again in the stories: log in, log out, screenshots, and a
restaurant application sent and accepted."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from engine.casework import completion
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.models import Case, WorkItem
from tests.casework.pages.test_portal import application
from web.context import onething
from web.demo_accounts import DEMO_ACCOUNTS

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.browser.server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PASSWORDS = {account.username: account.password for account in DEMO_ACCOUNTS}
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/NAME.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{_UNSAFE.sub('_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page: Page, username: str, password: str | None = None) -> None:
    """Log in through the login page as USERNAME (a demo account unless PASSWORD is given)."""
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password or PASSWORDS[username])
    page.locator("#login-submit").click()
    page.wait_for_url(lambda url: "/login" not in url)


def logout(page: Page) -> None:
    """Sign out through the user menu in the page header."""
    if page.locator("details.user-menu").get_attribute("open") is None:
        page.get_by_test_id("user-menu").click()
    page.locator("#logout").click()
    page.wait_for_url("**/login")


def apply_for_restaurant(page: Page) -> str:
    """Send a complete restaurant application with the signed-in browser's cookies; the
    case number."""
    page.goto("/portal/bundles/restaurant/apply")
    token = page.locator("input[name=csrf_token]").first.input_value()
    sent = page.request.post("/portal/bundles/restaurant/apply",
                             form=application(token, action="submit"))
    assert sent.ok, sent.status
    number = sent.url.rsplit("/", 1)[-1]
    assert number.startswith("LL-"), sent.url
    return number


def accept_at_the_window(server: LiveServer, number: str) -> None:
    """The Tieying window accepts case NUMBER, so that the departments review its items."""
    shared = onething(server.app)
    with unit_of_work(shared.factory) as session:
        case_id = session.scalars(select(Case.id).where(Case.number == number)).one()
        item = session.scalars(select(WorkItem).where(
            WorkItem.case_id == case_id, WorkItem.element_id == "accept",
            WorkItem.state == "open")).one()
        completion.complete(shared.rt, session, item.id, {"outcome": "accept"},
                            Actor("clerk_tieying", frozenset(item.candidate_names("group"))))
