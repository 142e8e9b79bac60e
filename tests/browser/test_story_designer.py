"""Story b: a designer renames a task in the studio's diagram editor and deploys a new version.

Story c follows: the admin finds the bundle and its cases on the dashboard.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import expect

from tests.browser.actions import login, logout, shot

if TYPE_CHECKING:
    from playwright.sync_api import Page

NEW_NAME = "受理审查（含容缺） Check materials and accept"


def versions(page: Page) -> list[int]:
    """The restaurant versions the studio lists."""
    rows = page.get_by_test_id("bundle-restaurant").locator("tr[data-testid^=version-]")
    return sorted(int(str(row.get_attribute("data-testid")).rsplit("-", 1)[1])
                  for row in rows.all())


def rename_on_canvas(page: Page, element: str, name: str) -> None:
    """Double-click ELEMENT in the modeler, type NAME over its label, click away."""
    box = page.evaluate(
        """id => { const r = window.onethingModeler.get('elementRegistry')
                     .getGraphics(id).getBoundingClientRect();
                   return {x: r.x + r.width / 2, y: r.y + r.height / 2}; }""", element)
    page.mouse.dblclick(box["x"], box["y"])
    editor = page.locator(".djs-direct-editing-parent")
    editor.wait_for()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(name)
    # a click on empty canvas ends the label editing, as it does for a person
    canvas = page.locator("#studio-canvas").bounding_box()
    assert canvas is not None
    page.mouse.click(canvas["x"] + canvas["width"] - 15, canvas["y"] + canvas["height"] - 15)
    editor.wait_for(state="hidden")


def test_designer_edits_a_diagram_and_deploys_a_new_version(page: Page) -> None:
    login(page, "designer")
    page.get_by_test_id("nav-studio").click()
    page.wait_for_url("**/studio")
    before = versions(page)
    assert before, "the demo deploys the restaurant bundle"
    shot(page, "b01-studio-bundles")

    page.get_by_test_id(f"edit-restaurant-{before[-1]}").click()
    page.locator("#studio-canvas[data-ready=true]").wait_for()
    shot(page, "b02-studio-modeler")
    rename_on_canvas(page, "accept", NEW_NAME)
    assert page.evaluate("window.onethingModeler.get('elementRegistry').get('accept')"
                         ".businessObject.name") == NEW_NAME

    page.get_by_test_id("save-diagram").click()
    status = page.get_by_test_id("save-status")
    page.locator("#save-status[data-state=saved]").wait_for()
    new_version = before[-1] + 1
    assert re.search(rf"\b{new_version}\b", status.inner_text())
    shot(page, "b03-studio-saved-new-version")

    page.locator("#saved-version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"restaurant v{new_version}")
    # the new version's file, as the engine stored it, carries the new name
    xml_url = page.locator("#studio-canvas").get_attribute("data-xml-url")
    assert xml_url is not None and NEW_NAME in page.request.get(xml_url).text()
    page.locator("#studio-canvas svg").first.wait_for()
    shot(page, "b04-studio-new-version")
    page.get_by_test_id("nav-studio").click()
    expect(page.get_by_test_id(f"version-restaurant-{new_version}")).to_be_visible()
    assert versions(page) == [*before, new_version]
    shot(page, "b05-studio-versions-after-deploy")
    logout(page)
