"""In a real browser: a designer renames a task in the modeler and saves a new version; a
broken edit is refused with the problem marked on the diagram; an admin sees the dashboard."""

from __future__ import annotations

import re

import pytest

from tests.browser.actions import login, shot

pytestmark = pytest.mark.browser


def test_designer_edits_a_diagram_and_deploys_a_new_version(page):
    login(page, "designer")
    page.goto("/studio")
    shot(page, "studio-index")
    # other stories share the server and may have deployed versions already
    before = page.locator("[data-testid^='version-restaurant-']").count()
    expected = before + 1
    page.get_by_test_id("edit-restaurant-1").click()
    page.wait_for_selector("#studio-canvas[data-ready='true']")
    page.evaluate("window.onethingStudio.rename('accept', '受理审查（新） Accept (new)')")
    page.locator("#save-diagram").click()
    page.wait_for_selector("#saved-version")
    assert page.locator("#save-status").get_attribute("data-state") == "saved"
    assert page.locator("#saved-version").inner_text().strip() == f"v{expected}"
    shot(page, "studio-modeler-saved")

    page.evaluate("""() => {
        const modeler = window.onethingModeler;
        const task = modeler.get('elementRegistry').get('plan_items');
        modeler.get('modeling').updateProperties(task, {script: 'x = ('});
    }""")
    page.locator("#save-diagram").click()
    page.wait_for_selector("#problems li")
    assert page.locator("#save-status").get_attribute("data-state") == "problems"
    assert "plan_items" in page.locator("#problems").inner_text()
    assert page.locator(".djs-element.studio-problem[data-element-id='plan_items']").count() == 1
    shot(page, "studio-modeler-problems")

    page.goto("/studio")
    assert page.get_by_test_id(f"version-restaurant-{expected}").is_visible()
    heat = page.locator("[data-testid='version-restaurant-1'] a", has_text=re.compile("Heat"))
    heat.click()
    page.wait_for_selector("#studio-canvas[data-ready='true']")
    shot(page, "studio-heat")


def test_admin_sees_the_dashboard_with_charts(page):
    login(page, "admin", "admin")
    page.goto("/admin/dashboard")
    page.wait_for_selector("#chart-throughput[data-ready='true']")
    assert page.get_by_test_id("totals").is_visible()
    shot(page, "admin-dashboard")
