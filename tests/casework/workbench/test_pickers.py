"""Names instead of codes on the task page, and the people and groups it offers to choose.

A clerk hands a task only to a colleague who could take it (the same role in the same
office, never the same role at another branch) and asks co-handling only of a group some
office has; a typo is refused by the engine, in Chinese on the page and with a 4xx naming
it in the API.
"""

from __future__ import annotations

import re

from sqlalchemy import update

from engine.core.db import unit_of_work
from engine.models import CooperationRequest, Office
from tests.casework.workbench.support import County
from tests.casework.workbench.test_pages import csrf, sign_in

NAMES = {"branch_tieying": "铁营分中心", "branch_yangan": "杨安分中心",
         "dept_market": "市场监督管理局", "dept_fire": "消防救援大队"}
QUESTION = "后厨排烟管道是否需要单独消防验收？"


def named(county: County) -> County:
    """Give the county's offices their Chinese names."""
    with unit_of_work(county.factory) as s:
        for code, name in NAMES.items():
            s.execute(update(Office).where(Office.code == code).values(name_zh=name))
    return county


def options(page: str, select_id: str) -> dict[str, str]:
    """The options of the select SELECT_ID: value -> label."""
    found = re.search(rf'<select id="{select_id}".*?</select>', page, re.S)
    assert found, f"no select {select_id}"
    return {v: label.strip() for v, label in
            re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found.group(0)) if v}


def requests_of(county: County, case_id: int) -> list[tuple[str, str]]:
    with unit_of_work(county.factory, read_only=True) as s:
        rows = s.query(CooperationRequest).filter_by(case_id=case_id).all()
        return [(r.group_name, r.state) for r in rows]


def test_the_task_header_names_the_case_its_bundle_and_office(county: County) -> None:
    case = named(county).walk_in("clerk_ty")
    task = county.task(case["id"], "accept")
    page = sign_in(county, "clerk_ty").get(f"/workbench/tasks/{task}").get_data(as_text=True)
    number = case["number"]
    assert re.fullmatch(r"LL-\d{4}-\d{6}", number)
    assert f'<span data-testid="case-number">{number}</span>' in page
    assert re.search(rf"<title>[^<]*{number}[^<]*</title>", page)
    assert '<dd data-testid="case-office">铁营分中心</dd>' in page
    bundle = re.search(r'data-testid="case-bundle">([^<]*)<', page)
    assert bundle and bundle.group(1) != "restaurant" and re.search(r"[\u4e00-\u9fff]",
                                                                    bundle.group(1))
    assert f"办件 {case['id']}<" not in page


def test_the_delegate_picker_lists_colleagues_of_the_office_only(county: County) -> None:
    case = county.walk_in("clerk_ty")
    task = county.task(case["id"], "accept")
    page = sign_in(county, "clerk_ty").get(f"/workbench/tasks/{task}").get_data(as_text=True)
    people = options(page, "delegate-to")
    # the other window clerk of Tieying, not the one of Yang'an, not oneself, no reviewer
    assert list(people) == ["clerk_ty2"]
    assert 'name="to" required' in page and '<input id="delegate-to"' not in page


def test_delegating_to_an_unknown_user_is_refused_by_name(county: County) -> None:
    case = county.walk_in("clerk_ty")
    task = county.task(case["id"], "accept")
    api = county.api("clerk_ty", "POST", f"/tasks/{task}/delegate", json={"to": "nobody"})
    assert api.status_code == 422 and "nobody" in api.get_json()["detail"]
    browser = sign_in(county, "clerk_ty")
    path = f"/workbench/tasks/{task}"
    page = browser.post(f"{path}/delegate", data={"csrf_token": csrf(browser, path),
                                                  "to": "nobody"}, follow_redirects=True)
    assert "没有用户“nobody”，请从列表中选择同事。" in page.get_data(as_text=True)
    assert county.open_items(case["id"], "accept")[0].assignee is None


def test_the_cooperation_picker_offers_office_groups_by_name(county: County) -> None:
    case = named(county).walk_in("clerk_ty")
    task = county.task(case["id"], "accept")
    page = sign_in(county, "clerk_ty").get(f"/workbench/tasks/{task}").get_data(as_text=True)
    groups = options(page, "coop-group")
    assert groups["reviewer@dept_fire"] == "消防救援大队 审批人员"
    assert groups["reviewer@dept_market"] == "市场监督管理局 审批人员"
    # Yang'an has window clerks but no reviewer: no group is offered that nobody works in
    assert "window_clerk@branch_yangan" in groups and "reviewer@branch_yangan" not in groups
    assert all("@" not in label for label in groups.values())


def test_cooperation_with_a_group_no_office_has_is_refused(county: County) -> None:
    case = county.walk_in("clerk_ty")
    task = county.task(case["id"], "accept")
    api = county.api("clerk_ty", "POST", f"/tasks/{task}/cooperation",
                     json={"group": "market", "question": QUESTION})
    assert api.status_code == 422
    assert "no office has the group 'market'" in api.get_json()["detail"]
    browser = sign_in(county, "clerk_ty")
    path = f"/workbench/tasks/{task}"
    page = browser.post(f"{path}/cooperation", data={
        "csrf_token": csrf(browser, path), "group": "market", "question": QUESTION},
        follow_redirects=True).get_data(as_text=True)
    assert "没有任何机构有“market”这个组，请从列表中选择。" in page
    assert requests_of(county, case["id"]) == []
    sent = browser.post(f"{path}/cooperation", data={
        "csrf_token": csrf(browser, path), "group": "reviewer@dept_fire",
        "question": QUESTION}, follow_redirects=True).get_data(as_text=True)
    assert "协办请求已发送。" in sent
    assert requests_of(county, case["id"]) == [("reviewer@dept_fire", "open")]


def test_the_service_pages_name_offices_and_offer_the_office_clerks(county: County) -> None:
    browser = sign_in(named(county), "clerk_ty")
    slots = browser.get("/workbench/slots").get_data(as_text=True)
    assert options(slots, "slot-office") == {"branch_tieying": "铁营分中心"}
    duty = re.search(r'<select name="duty_clerk".*?</select>', slots, re.S)
    assert duty and 'value="clerk_ty2"' in duty.group(0) and 'value="clerk_ya"' not in duty.group(0)
    visits = browser.get("/workbench/visits").get_data(as_text=True)
    assert options(visits, "visit-office") == {"branch_tieying": "铁营分中心"}
