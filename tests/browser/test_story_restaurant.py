"""Story a: an enterprise opens a restaurant online, start to finish, in a real browser.

applicant_ent answers the situational guide, reads the one-time notice, fills the merged
form (after a failed first try), submits and uploads; clerk_tieying accepts with gaps at
the window; reviewer_market and reviewer_fire decide their items; the applicant hands in
the promised material, follows the case with its diagram and rates the service.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from playwright.sync_api import expect

from tests.browser.actions import login, logout, shot

if TYPE_CHECKING:
    from playwright.sync_api import FilePayload, Page

APPLICANT = "乐陵市铁营镇张三家常菜馆"
ITEMS = {"MS-001", "MS-010", "FR-001"}  # hot food, 180 m², no licence yet, no outdoor sign
GAP = "health_certificates"  # a non-key material the applicant promises to bring later
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]" \
      b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def answer_the_guide(page: Page) -> None:
    """Browse to the restaurant bundle and answer its questions; check the one-time notice."""
    page.goto("/portal/")
    shot(page, "a01-portal-bundles")
    page.get_by_test_id("bundle-restaurant").get_by_role("link").click()
    assert page.get_by_test_id("guide").is_visible()
    shot(page, "a02-bundle-guide")
    page.locator("#start-guide").click()
    page.get_by_label("What is the floor area of the premises (m²)?").fill("180")
    page.get_by_label("What will you mainly serve?").select_option("hot_food")
    page.locator("#situation-submit").click()
    items = page.get_by_test_id("situation-items").locator("li")
    expect(items).to_have_count(len(ITEMS))
    assert {items.nth(i).get_attribute("data-item") for i in range(items.count())} == ITEMS
    shot(page, "a03-situational-guide")

    page.locator("#print-notice").click()
    notice = page.get_by_test_id("notice")
    # every material once, the promised-later ones marked as such
    health = notice.get_by_role("row").filter(has_text="Health certificates of the staff")
    expect(health).to_have_count(1)
    expect(health).to_contain_text("may be promised later")
    shot(page, "a04-one-time-notice")
    page.go_back()


def apply_online(page: Page) -> str:
    """Fill the merged form from the guide's answers, fix what is refused, submit; the number."""
    page.locator("#apply-with-answers").click()
    assert page.get_by_label("What is the floor area of the premises (m²)?").input_value() \
        == "180"
    page.get_by_label("Applicant (enterprise or person)").fill(APPLICANT)
    page.locator("#save-draft").click()
    expect(page.get_by_test_id("draft-info")).to_be_visible()

    page.locator("#submit-application").click()  # contact phone, office, channel missing
    expect(page.get_by_test_id("form-error")).to_be_visible()
    expect(page.locator("#f-office-error")).to_be_visible()
    shot(page, "a05-apply-form-errors")

    page.get_by_label("Credit code or ID number").fill("91371481MA3TEST01X")
    page.get_by_label("Contact phone").fill("13905340000")
    page.get_by_label("Office that accepts your case").select_option("branch_tieying")
    page.locator("#f-channel-online").check()
    shot(page, "a06-apply-form-filled")
    page.locator("#submit-application").click()
    page.wait_for_url("**/portal/cases/*")
    number = page.url.rsplit("/", 1)[-1]
    assert number.startswith("LL-")
    # the diagram, folded by default, marks where the case is: the window's acceptance check
    page.get_by_test_id("diagram-details").locator("summary").click()
    page.locator("#diagram-canvas[data-ready=true]").wait_for()
    assert page.locator("#diagram-canvas [data-element-id=accept].current").count() == 1
    shot(page, "a07-case-submitted")
    return number


def upload(page: Page, code: str) -> None:
    """Hand in material CODE on the case page and wait until the page lists it."""
    document: FilePayload = {"name": f"{code}.pdf", "mimeType": "application/pdf",
                             "buffer": PDF}
    page.get_by_test_id(f"file-{code}").set_input_files(files=[document])
    page.locator(f"[data-testid=materials] li[data-material='{code}']").wait_for()


def upload_all_but_the_gap(page: Page) -> None:
    """Upload every material the case asks for except the promised one."""
    codes = page.locator("form.upload").evaluate_all("fs => fs.map(f => f.dataset.code)")
    assert GAP in codes
    for code in codes:
        if code != GAP:
            upload(page, code)
    assert page.locator("form.upload").evaluate_all("fs => fs.map(f => f.dataset.code)") \
        == [GAP]
    shot(page, "a08-case-materials-uploaded")


def open_group_task(page: Page, number: str, element: str | None = None) -> bool:
    """Open the first task of case NUMBER in the group inbox (whose title names ELEMENT)."""
    page.goto("/workbench?tab=group")
    rows = page.locator(f"[data-testid=inbox-row][data-case-number='{number}']")
    if element is not None:
        rows = rows.filter(has_text=element)
    if rows.count() == 0:
        return False
    rows.first.get_by_test_id("open-task").click()
    page.get_by_test_id("task-title").wait_for()
    return True


def accept_with_gaps(page: Page, number: str) -> None:
    """The window clerk checks the materials and accepts, against a promise for the gap."""
    login(page, "clerk_tieying")
    page.goto("/workbench?tab=group")
    shot(page, "a09-clerk-inbox")
    assert open_group_task(page, number)
    assert page.get_by_test_id("case-number").inner_text() == number
    # the window compares the application with the materials: the phone entered, every item
    expect(page.get_by_test_id("application")).to_contain_text("13905340000")
    codes = page.get_by_test_id("decided-item")
    assert {codes.nth(i).get_attribute("data-code") for i in range(codes.count())} == ITEMS
    page.get_by_test_id("claim").click()
    expect(page.get_by_test_id("task-assignee")).to_have_text("clerk_tieying")
    assert page.get_by_test_id("missing-material").all_inner_texts() == [
        "Health certificates of the staff"]
    page.get_by_label("Outcome").select_option("accept_with_gaps")
    page.locator("#f-promised_materials").get_by_label("从业人员健康证明").check()
    # two calendar days: within the promise limit, and not in the past in any time zone
    promised_by = (date.today() + timedelta(days=2)).isoformat()
    page.get_by_label("Promised by").fill(promised_by)
    shot(page, "a10-clerk-accepts-with-gaps")
    page.get_by_test_id("complete").click()
    expect(page.locator(".flashes")).to_contain_text(f"case {number} moved on")
    logout(page)


def decide_items(page: Page, reviewer: str, number: str, shot_name: str) -> int:
    """REVIEWER approves every item of case NUMBER waiting in their group inbox; how many.
    Each review task names the one item it decides, a different one each time."""
    login(page, reviewer)
    decided = 0
    seen: set[str | None] = set()
    while open_group_task(page, number):
        if decided == 0:
            shot(page, shot_name)
        item = page.get_by_test_id("decided-item")
        expect(item).to_have_count(1)
        assert item.get_by_test_id("item-name").inner_text().strip()
        code = item.get_attribute("data-code")
        assert code in ITEMS and code not in seen, (code, seen)
        seen.add(code)
        page.get_by_test_id("claim").click()
        expect(page.get_by_test_id("task-assignee")).to_have_text(reviewer)
        # only the fields of the chosen decision show: none before, the number for approval
        expect(page.locator("#f-certificate_no")).to_be_hidden()
        expect(page.locator("#f-refuse_reason")).to_be_hidden()
        page.get_by_role("combobox", name="Decision").select_option("refuse")
        expect(page.locator("#f-refuse_reason")).to_be_visible()
        page.get_by_role("combobox", name="Decision").select_option("approve")
        expect(page.locator("#f-refuse_reason")).to_be_hidden()
        expect(page.locator("#f-return_reason")).to_be_hidden()
        page.get_by_label("Certificate number").fill(f"LL-{reviewer}-{decided}")
        page.get_by_test_id("complete").click()
        expect(page.locator(".flashes")).to_contain_text(f"case {number} moved on")
        decided += 1
    logout(page)
    return decided


def supply_the_promised_material(page: Page, number: str) -> None:
    """The applicant uploads the promised material and answers the step waiting for them."""
    login(page, "applicant_ent")
    page.goto(f"/portal/cases/{number}")
    task = page.get_by_test_id("task-form-supply_promised")
    expect(task).to_be_visible()
    shot(page, "a13-applicant-asked-for-promised-material")
    upload(page, GAP)
    task.get_by_label("从业人员健康证明").check()
    task.locator("#submit-supply_promised").click()
    expect(page.get_by_test_id("task-form-supply_promised")).to_have_count(0)
    logout(page)


def choose_delivery_track_and_rate(page: Page, number: str) -> None:
    """The applicant picks up the results, follows the case on its diagram and rates it."""
    login(page, "applicant_ent")
    page.goto(f"/portal/cases/{number}")
    task = page.get_by_test_id("task-form-choose_delivery")
    task.get_by_role("combobox", name="Delivery").select_option("window")
    task.locator("#submit-choose_delivery").click()
    expect(page.get_by_test_id("task-form-choose_delivery")).to_have_count(0)

    page.goto(f"/portal/cases/{number}")
    expect(page.locator("h1 [data-status]")).to_have_attribute("data-status", "completed")
    results = page.get_by_test_id("results").locator("li[data-item]")
    assert {results.nth(i).get_attribute("data-item") for i in range(results.count())} == ITEMS
    assert page.get_by_test_id("timeline").locator("li").count() >= 5
    # the diagram is drawn by bpmn-js with the finished elements highlighted
    page.get_by_test_id("diagram-details").locator("summary").click()
    page.locator("#diagram-canvas[data-ready=true]").wait_for()
    canvas = page.locator("#diagram-canvas")
    assert canvas.locator("[data-element-id=accept].done").count() == 1
    assert canvas.locator("[data-element-id=choose_delivery].done").count() == 1
    assert canvas.locator(".current").count() == 0
    shot(page, "a14-case-completed-with-diagram")

    page.locator("#level-very_satisfied").check()
    page.get_by_label("Comment (optional)").fill("一次办好，谢谢！")
    page.locator("#rating-submit").click()
    expect(page.get_by_test_id("rating-given")).to_have_text("You rated: very satisfied")
    shot(page, "a15-case-rated")
    logout(page)


def test_open_a_restaurant_end_to_end(page: Page) -> None:
    login(page, "applicant_ent")
    answer_the_guide(page)
    number = apply_online(page)
    upload_all_but_the_gap(page)
    logout(page)

    accept_with_gaps(page, number)
    # the food-business permit is decided now too: its gap is a promise, not a stop
    assert decide_items(page, "reviewer_market", number, "a11-reviewer-market-task") == 2
    assert decide_items(page, "reviewer_fire", number, "a12-reviewer-fire-task") == 1

    supply_the_promised_material(page, number)
    choose_delivery_track_and_rate(page, number)
