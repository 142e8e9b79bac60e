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
from engine.models import Case, WorkItem
from engine.org import users
from engine.org.offices import get_office
from engine.org.offices.members import set_postings
from tests.casework.pages.test_journey import _complete
from tests.casework.pages.test_portal import application
from tests.ui.conftest import PASSWORD, csrf_of, sign_in
from web.context import onething

EN = {"Accept-Language": "en"}
# username: (office, role); the restaurant case below is accepted at branch_tieying
STAFF = {"win_ty": ("branch_tieying", "window_clerk"), "rev_ty": ("branch_tieying", "reviewer"),
         "rev_ya": ("branch_yangan", "reviewer")}


@pytest.fixture
def case(app: Flask, client: FlaskClient, person: Callable[..., str], restaurant: str,
         ) -> dict[str, str]:
    """A restaurant case applied for online at Tieying, and the staff who work it."""
    with unit_of_work(onething(app).factory) as session:
        for name, (office, role) in STAFF.items():
            user = users.add_user(session, name, PASSWORD)
            set_postings(session, user, [(get_office(session, office), role, "resident")])
    person("ann", "applicant")
    sign_in(client, "ann")
    response = client.post("/portal/bundles/restaurant/apply", data=application(
        csrf_of(client, "/portal/bundles/restaurant/apply"), action="submit"))
    assert response.status_code == 302, response.get_data(as_text=True)
    with unit_of_work(onething(app).factory) as session:
        number = session.scalars(select(Case.number)).one()
    return {"number": number}


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
