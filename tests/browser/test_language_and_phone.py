"""The language follows the browser and can be switched; pages fit a phone screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from engine.core.db import unit_of_work
from engine.models import User
from tests.browser.actions import login, shot
from web.context import onething

if TYPE_CHECKING:
    from tests.browser.conftest import ContextFactory
    from tests.browser.server import LiveServer

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


def test_chinese_browser_gets_chinese_and_can_switch_to_english(
        new_context: ContextFactory) -> None:
    page = new_context(locale="zh-CN").new_page()
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("heading", level=1).inner_text() == "登录"
    shot(page, "login-zh")

    page.locator("#lang-select").select_option("en")
    page.locator("#lang-apply").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    shot(page, "login-en")


@pytest.fixture
def follows_the_browser_after(live_server: LiveServer) -> Iterator[str]:
    """The demo applicant, whose stored language is cleared after the test (the other
    tests of the run sign in as the same account and expect their browser's language)."""
    yield "applicant_ent"
    with unit_of_work(onething(live_server.app).factory) as session:
        session.execute(update(User).where(User.username == "applicant_ent").values(locale=None))


def test_a_signed_in_user_keeps_the_language_they_chose(new_context: ContextFactory,
                                                        follows_the_browser_after: str) -> None:
    page = new_context(locale="en-US").new_page()
    login(page, "applicant_ent")
    page.get_by_label("Language").select_option("zh_CN")
    page.locator("#lang-apply").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    # a new browser with no cookies but the same account: the setting is stored on the user
    other = new_context(locale="en-US").new_page()
    login(other, "applicant_ent")
    assert other.locator("html").get_attribute("lang") == "zh-CN"
    shot(other, "portal-zh-after-switch")
    other.locator("#lang-select").select_option("en")
    other.locator("#lang-apply").click()
    expect(other.locator("html")).to_have_attribute("lang", "en")


def test_pages_fit_a_phone_screen(new_context: ContextFactory) -> None:
    page = new_context(locale="zh-CN", **PHONE).new_page()
    for path, name in (("/login", "phone-login"), ("/portal/", "phone-portal")):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a phone screen"
        shot(page, name)
    login(page, "applicant_ent")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    shot(page, "phone-signed-in")
