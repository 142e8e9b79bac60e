"""Signing in and out in a real browser, with the mouse and with the keyboard alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import expect

from tests.browser.actions import PASSWORDS, login, logout, shot

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_sign_in_shows_who_is_signed_in_and_sign_out_ends_the_session(page: Page) -> None:
    page.goto("/login")
    shot(page, "login")
    login(page, "clerk_tieying")
    assert page.get_by_test_id("user-menu").is_visible()
    page.get_by_test_id("user-menu").click()
    assert "clerk_tieying" in page.locator(".user-menu .menu").inner_text()
    shot(page, "signed-in-clerk")

    logout(page)
    assert page.locator(".flashes").inner_text().strip() == "You have signed out."
    assert page.get_by_test_id("user-menu").count() == 0
    assert page.locator("#login-form").is_visible()
    # the session cookie no longer names anyone: a reload stays signed out
    page.reload()
    assert page.get_by_test_id("user-menu").count() == 0


def test_a_wrong_password_is_refused_with_a_message(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill("applicant_ent")
    page.get_by_label("Password").fill("not-the-password")
    with page.expect_response(lambda r: r.url.endswith("/login")
                              and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Sign in").last.click()
    assert answer.value.status == 401
    expect(page.get_by_test_id("login-error")).to_have_text("Wrong username or password.")
    # the username stays filled in, the password does not
    expect(page.get_by_label("Username")).to_have_value("applicant_ent")
    expect(page.get_by_label("Password")).to_have_value("")
    shot(page, "login-wrong-password")


def test_sign_in_with_the_keyboard_only(page: Page) -> None:
    page.goto("/portal/")
    # the first Tab stop of a page is the skip link; Enter on it moves focus to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto("/login")
    assert page.evaluate("document.activeElement.id") == "username"  # autofocus
    page.keyboard.type("applicant_ent")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(PASSWORDS["applicant_ent"])
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    assert page.get_by_test_id("user-menu").inner_text().strip()
    shot(page, "signed-in-by-keyboard")
