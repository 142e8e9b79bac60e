"""The applicant follows a restaurant case on a 390 px phone: the plain progress view reads
without sideways scrolling, the diagram waits folded until asked for, in the page's words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import expect

from tests.browser.actions import (
    SCREENSHOTS,
    accept_at_the_window,
    apply_for_restaurant,
    login,
    shot,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.browser.conftest import ContextFactory
    from tests.browser.server import LiveServer

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}


def _overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_the_progress_view_fits_a_phone(new_context: ContextFactory,
                                        live_server: LiveServer) -> None:
    page = new_context(locale="zh-CN", **PHONE).new_page()
    login(page, "applicant_ent")
    number = apply_for_restaurant(page)

    page.goto(f"/portal/cases/{number}")
    steps = page.get_by_test_id("progress-steps").locator("li.progress-step")
    expect(steps.first).to_be_visible()
    expect(page.locator("li[data-step=accept]")).to_contain_text("窗口受理")
    expect(page.locator("li[data-step=accept]")).to_contain_text("办理中")
    expect(page.get_by_test_id("progress-now")).to_contain_text("窗口人员")
    assert _overflow(page) <= 390, f"the case page is {_overflow(page)}px wide"
    shot(page, "f01-phone-progress-at-acceptance")

    accept_at_the_window(live_server, number)
    page.goto(f"/portal/cases/{number}")
    review = page.locator("li[data-step=review]")
    expect(review).to_contain_text("部门审查")
    expect(review.locator("li[data-item=MS-010]")).to_contain_text("食品经营许可")
    expect(review.locator("li[data-item=MS-010]")).to_contain_text("市场监督管理局")
    expect(review.locator("li[data-item=MS-010]")).to_contain_text("审查中")
    for i in range(steps.count()):
        expect(steps.nth(i)).to_be_visible()
    assert _overflow(page) <= 390, f"the case page is {_overflow(page)}px wide"

    # the diagram is an optional detail: closed, not drawn, until the applicant opens it
    fold = page.get_by_test_id("diagram-details")
    assert fold.get_attribute("open") is None
    expect(page.locator("#diagram-canvas")).to_be_hidden()
    assert page.get_by_test_id("timeline-details").get_attribute("open") is None
    shot(page, "f02-phone-progress-at-review")
    page.get_by_test_id("progress").screenshot(path=str(SCREENSHOTS / "f02b-phone-progress.png"))

    fold.locator("summary").click()
    canvas = page.locator("#diagram-canvas[data-ready=true]")
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 300
    # lanes by role and tasks in the page's language, not the file's codes
    labels = " ".join(page.locator("#diagram-canvas .djs-label, #diagram-canvas text")
                      .all_text_contents())
    assert "窗口人员" in labels and "window_clerk" not in labels
    assert "Check materials and accept" not in labels
    assert _overflow(page) <= 390, f"the open diagram makes the page {_overflow(page)}px wide"
    shot(page, "f03-phone-diagram-open")
    fold.screenshot(path=str(SCREENSHOTS / "f03b-phone-diagram.png"))


def test_on_a_desk_the_open_diagram_takes_the_full_width(new_context: ContextFactory) -> None:
    page = new_context(locale="zh-CN").new_page()
    login(page, "applicant_ent")
    number = apply_for_restaurant(page)
    page.goto(f"/portal/cases/{number}")
    fold = page.get_by_test_id("diagram-details")
    fold.locator("summary").click()
    page.locator("#diagram-canvas[data-ready=true]").wait_for()
    panel, canvas = fold.bounding_box(), page.locator("#diagram-canvas").bounding_box()
    assert panel is not None and canvas is not None
    assert canvas["width"] >= panel["width"] - 40 and canvas["height"] >= 400
    expect(page.locator("#diagram-canvas")).to_contain_text("受理审查")
    expect(page.locator("#diagram-canvas")).not_to_contain_text("Check materials and accept")
    fold.screenshot(path=str(SCREENSHOTS / "f04-desk-diagram-open.png"))
