"""The small page behaviours that used to be inline handlers work from web/static/js under the
Content-Security-Policy: the print button and the case-tracking form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.actions import login, logout

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_pages_send_the_policy_and_the_print_button_prints(page: Page) -> None:
    # window.print would open a dialog; count the calls instead
    page.add_init_script("window.printed = 0; window.print = function () { window.printed++; };")
    response = page.goto("/portal/bundles/restaurant/notice?area=180&menu=hot_food")
    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page.locator("#print").click()
    assert page.evaluate("window.printed") == 1


def test_the_tracking_form_opens_the_case_by_its_number(page: Page) -> None:
    login(page, "applicant_ent")
    page.goto("/portal/cases")
    page.locator("#track-ref").fill("  LL-2026-999999 ")
    page.locator("#track-submit").click()
    page.wait_for_url(lambda url: "/portal/cases/LL-2026-999999" in url)
    # the number went into the path, trimmed, and not again into the query string
    assert "ref=" not in page.url
    logout(page)
