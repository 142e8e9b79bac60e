"""Story c: work done at a window shows on the admin's dashboard, with charts and CSV export.

A walk-in applicant's case is started at the Tieying acceptance desk; the admin's dashboard
counts it as opened and in progress, per office and bundle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.actions import login, logout, shot

if TYPE_CHECKING:
    from playwright.sync_api import Page


def totals(page: Page) -> dict[str, int]:
    """The dashboard's headline numbers (opened, closed, in progress, overdue, at risk)."""
    cells = page.get_by_test_id("totals").locator("[data-total]")
    return {str(c.get_attribute("data-total")): int(c.locator("strong").inner_text())
            for c in cells.all()}


def start_walk_in_case(page: Page) -> str:
    """clerk_tieying starts a restaurant case at the desk for a walk-in; its number."""
    login(page, "clerk_tieying")
    page.get_by_test_id("nav-workbench").click()
    page.get_by_test_id("desk-link").click()
    page.get_by_test_id("desk-bundle").select_option("restaurant")
    page.locator("#desk-pick").click()
    form = page.get_by_test_id("desk-form")
    form.get_by_label("What is the floor area of the premises (m²)?").fill("260")
    form.get_by_label("What will you mainly serve?").select_option("drinks")
    form.get_by_label("Applicant name (person or enterprise)").fill("乐陵市铁营镇李四奶茶店")
    form.get_by_label("Applicant account (username)").fill("applicant_ent")
    shot(page, "c01-acceptance-desk")
    form.get_by_test_id("desk-submit").click()
    number = page.get_by_test_id("started-number").inner_text()
    assert number.startswith("LL-")
    assert page.get_by_test_id("started-office").inner_text() == (
        "Tieying Branch of the Approval Bureau (Tieying Service Sub-center)")
    shot(page, "c02-desk-case-started")
    logout(page)
    return number


def test_admin_sees_window_work_on_the_dashboard(page: Page) -> None:
    login(page, "admin")
    page.get_by_test_id("nav-dashboard").click()
    page.wait_for_url("**/admin/dashboard")
    before = totals(page)
    logout(page)

    start_walk_in_case(page)

    login(page, "admin")
    page.get_by_test_id("nav-dashboard").click()
    page.wait_for_url("**/admin/dashboard")
    after = totals(page)
    assert after["opened"] == before["opened"] + 1
    assert after["in_progress"] == before["in_progress"] + 1
    rows = page.get_by_test_id("table-throughput").locator("tbody tr")
    # offices and bundles by name, not by code
    assert rows.filter(has_text="Open a restaurant (one thing)").filter(
        has_text="Tieying Branch of the Approval Bureau").count() == 1
    assert rows.filter(has_text="branch_tieying").count() == 0
    # the charts are drawn (chart.js paints into the canvas); counts on a whole-number axis
    page.wait_for_function("() => !!window.Chart && !!Chart.getChart('chart-throughput')")
    assert page.evaluate(
        "() => Chart.getChart('chart-throughput').options.scales.y.ticks.precision") == 0
    # the tables fit a 1280 px desk: nothing scrolls sideways
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("() => [...document.querySelectorAll('.table-wrap')]"
                         ".every(w => w.scrollWidth <= w.clientWidth + 1)")
    assert page.evaluate("() => document.documentElement.scrollWidth <= 1280")
    shot(page, "c03-admin-dashboard")

    page.locator("#bundle").select_option("restaurant")
    page.get_by_test_id("dashboard-filters").get_by_role("button").click()
    page.wait_for_url("**bundle=restaurant**")
    assert totals(page)["opened"] >= 1
    with page.expect_download() as download:
        page.get_by_test_id("csv-throughput").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("office")
    assert "restaurant" in text
    logout(page)
