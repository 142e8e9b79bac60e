"""What a user does again and again in the stories: log in, log out, and screenshots."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from web.demo_accounts import DEMO_ACCOUNTS

if TYPE_CHECKING:
    from playwright.sync_api import Page

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
