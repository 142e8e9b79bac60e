"""The clerk's task page says what the task decides: the catalogue item of each review, the
application the applicant entered, and the reason a department gave for a return."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.core.db import unit_of_work
from engine.models import WorkItem
from tests.casework.pages.applying import ann_applies, post_staff
from tests.casework.pages.test_journey import _complete
from tests.ui.conftest import csrf_of, sign_in
from web.context import onething

EN = {"Accept-Language": "en"}
# username: (office, role); the restaurant case below is accepted at branch_tieying
STAFF = {"win_ty": ("branch_tieying", "window_clerk"), "rev_ty": ("branch_tieying", "reviewer"),
         "rev_ya": ("branch_yangan", "reviewer")}


@pytest.fixture
def case(app: Flask, client: FlaskClient, person: Callable[..., str], restaurant: str,
         ) -> dict[str, str]:
    """A restaurant case applied for online at Tieying, and the staff who work it."""
    post_staff(app, STAFF)
    return {"number": ann_applies(app, client, person)}


def _open(app: Flask, element: str) -> dict[str, str]:
    """The open tasks ELEMENT: item code (or '') to task id."""
    with unit_of_work(onething(app).factory, read_only=True) as session:
        rows = session.scalars(select(WorkItem).where(WorkItem.element_id == element,
                                                      WorkItem.state == "open"))
        return {str(w.input_data.get("item_code") or ""): w.id for w in rows}


def _browser(app: Flask, username: str) -> FlaskClient:
    browser = app.test_client()
    sign_in(browser, username)
    return browser


def _panel(page: str, testid: str) -> str:
    found = re.search(rf'<section[^>]*data-testid="{testid}".*?</section>', page, re.S)
    assert found, f"no {testid} panel"
    return found.group(0)


def test_each_review_task_names_its_own_catalogue_item(app: Flask, case: dict[str, str],
                                                       ) -> None:
    _complete(app, "accept", {"outcome": "accept"})
    reviews = _open(app, "review")
    browser = _browser(app, "rev_ty")
    licence = _panel(browser.get(f"/workbench/tasks/{reviews['MS-001']}").get_data(
        as_text=True), "decided-items")
    permit = _panel(browser.get(f"/workbench/tasks/{reviews['MS-010']}").get_data(
        as_text=True), "decided-items")
    assert "本任务办理的事项" in licence
    # the inbox tells the two reviews apart by their titles
    inbox = browser.get("/workbench").get_data(as_text=True)
    assert "部门审查决定：营业执照（企业设立登记）（MS-001）" in inbox
    assert "部门审查决定：食品经营许可（MS-010）" in inbox
    assert "{{" not in inbox and "item_code" not in inbox
    assert "企业设立登记（营业执照核发）" in licence and "食品经营许可" not in licence
    assert "食品经营许可" in permit and "营业执照" not in permit
    # what the catalogue says of the item: department, legal basis, limits, fee
    assert "乐陵市市场监督管理局" in permit
    assert "《中华人民共和国食品安全法》第三十五条" in permit
    assert "法定 10 个工作日" in permit and "承诺 3 个工作日" in permit
    assert "不收费" in permit
    # in English, the catalogue's English name
    english = browser.get(f"/workbench/tasks/{reviews['MS-010']}", headers=EN)
    assert "Food-business permit" in _panel(english.get_data(as_text=True), "decided-items")


def test_a_reviewer_of_another_office_may_not_open_the_task(app: Flask, case: dict[str, str],
                                                            ) -> None:
    _complete(app, "accept", {"outcome": "accept"})
    reviews = _open(app, "review")
    stranger = _browser(app, "rev_ya")
    assert stranger.get(f"/workbench/tasks/{reviews['MS-001']}").status_code == 403
    assert _browser(app, "rev_ty").get(f"/workbench/tasks/{reviews['MS-001']}"
                                       ).status_code == 200


def test_the_acceptance_page_shows_the_application_and_every_item(app: Flask,
                                                                  case: dict[str, str]) -> None:
    accept = _open(app, "accept")[""]
    page = _browser(app, "win_ty").get(f"/workbench/tasks/{accept}").get_data(as_text=True)
    entered = _panel(page, "application")
    assert "申请信息" in entered
    assert "联系电话" in entered and "13800000000" in entered
    assert "统一社会信用代码或身份证号" in entered and "91371481MA3C000001" in entered
    assert "经营场所地址" in entered and "铁营镇政府街1号" in entered
    # shown once: the case data below does not repeat the application
    assert page.count("13800000000") == 1
    # a situational answer by its question and its choice, not by codes
    assert "hot_food" not in entered and "answers.menu" in entered
    assert not re.search(r"<dt>\s*[a-z_.]+\s*</dt>", entered), "a field shown by its code"
    # the acceptance decides all the items the case plans
    items = _panel(page, "decided-items")
    for name in ("企业设立登记（营业执照核发）", "食品经营许可",
                 "公众聚集场所投入使用、营业前消防安全检查"):
        assert name in items
    assert 'data-testid="return-reason"' not in page


def test_the_case_data_reads_as_names_not_codes(app: Flask, case: dict[str, str]) -> None:
    _complete(app, "accept", {"outcome": "accept"})
    review = _open(app, "review")["MS-010"]
    page = _browser(app, "rev_ty").get(f"/workbench/tasks/{review}").get_data(as_text=True)
    data = _panel(page, "case-data")
    # the window's choice by its title, a decision's material by the guide's name
    assert re.search(r'data-name="outcome">\s*受理\s*<', data)
    assert "公众聚集场所投入使用、营业前消防安全检查告知承诺书" in data
    assert "情形材料" in data  # the decision table's label, not the variable
    # nothing empty, no None from a decision row that matched nothing, no codes
    for code in ("None", "fire_commitment", "accept<", "situation_material<"):
        assert code not in data, code
    assert not re.search(r"<dd[^>]*>\s*</dd>", data), "an empty field is shown"


def test_the_window_reads_why_a_department_returned_the_item(app: Flask,
                                                             case: dict[str, str]) -> None:
    _complete(app, "accept", {"outcome": "accept"})
    reviewer = _browser(app, "rev_ty")
    path = f"/workbench/tasks/{_open(app, 'review')['MS-010']}"
    returned = reviewer.post(f"{path}/complete", data={
        "csrf_token": csrf_of(reviewer, path), "decision": "return",
        "return_reason": "经营场所地址与租赁合同不一致"})
    assert returned.status_code == 302, returned.get_data(as_text=True)
    recheck = _open(app, "recheck")["MS-010"]
    page = _browser(app, "win_ty").get(f"/workbench/tasks/{recheck}").get_data(as_text=True)
    reason = re.search(r'data-testid="return-reason">(.*?)</p>', page, re.S)
    assert reason and "退回理由" in reason.group(1)
    assert "经营场所地址与租赁合同不一致" in reason.group(1)
    assert "食品经营许可" in _panel(page, "decided-items")


def test_the_recheck_page_says_what_the_window_and_the_department_entered(
        app: Flask, case: dict[str, str]) -> None:
    _complete(app, "accept", {"outcome": "accept"})
    reviewer = _browser(app, "rev_ty")
    path = f"/workbench/tasks/{_open(app, 'review')['MS-010']}"
    reviewer.post(f"{path}/complete", data={
        "csrf_token": csrf_of(reviewer, path), "decision": "return",
        "return_reason": "平面布局图缺少操作流程", "return_to": "accept"})
    recheck = _open(app, "recheck")["MS-010"]
    page = _browser(app, "win_ty").get(f"/workbench/tasks/{recheck}").get_data(as_text=True)
    earlier = _panel(page, "earlier-steps")
    assert "前序环节意见" in earlier
    # the department's return, by the fields' titles and the choices' titles
    assert "部门审查决定" in earlier and "rev_ty" in earlier
    assert "退回理由" in earlier and "平面布局图缺少操作流程" in earlier
    assert "受理窗口复核" in earlier
    # the window's own acceptance, by its decision's title, not its code
    assert "受理审查" in earlier
    assert not re.search(r"<dd[^>]*>\s*(accept|return|approve)\s*</dd>", earlier)
    # a reviewer of another office sees neither the task nor what was said on it
    assert _browser(app, "rev_ya").get(f"/workbench/tasks/{recheck}").status_code == 403


def test_a_cooperation_answer_shows_on_the_task_that_asked(app: Flask,
                                                           case: dict[str, str]) -> None:
    from engine.casework import cooperation
    from engine.core.actors import Actor

    _complete(app, "accept", {"outcome": "accept"})
    review = _open(app, "review")["MS-010"]
    with unit_of_work(onething(app).factory) as session:
        asked = cooperation.ask(session, review, "reviewer@branch_tieying", "场所是否临近学校？",
                                Actor("rev_ty", frozenset({"reviewer@branch_tieying"})))
        cooperation.answer(session, asked.id, "距最近学校 300 米，符合要求",
                           Actor("rev_ty", frozenset({"reviewer@branch_tieying"})))
    page = _browser(app, "rev_ty").get(f"/workbench/tasks/{review}").get_data(as_text=True)
    said = _panel(page, "earlier-steps")
    assert "场所是否临近学校？" in said and "距最近学校 300 米，符合要求" in said
    assert "reviewer@branch_tieying" not in said


def test_the_review_form_says_which_fields_belong_to_which_decision(
        app: Flask, case: dict[str, str]) -> None:
    import html
    import json

    _complete(app, "accept", {"outcome": "accept"})
    review = _open(app, "review")["MS-010"]
    page = _browser(app, "rev_ty").get(f"/workbench/tasks/{review}").get_data(as_text=True)
    found = re.search(r"data-outcomes='([^']*)'", page)
    assert found
    outcomes = json.loads(html.unescape(found.group(1)))
    assert outcomes["certificate_no"] == [["decision", ["approve"]]]
    assert outcomes["refuse_reason"] == [["decision", ["refuse"]]]
    assert outcomes["return_reason"] == [["decision", ["return"]]]
    assert outcomes["return_to"] == [["decision", ["return"]]]
    # asked whatever the decision: not tied to an outcome
    assert "opinion" not in outcomes and "decision" not in outcomes
