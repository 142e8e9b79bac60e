"""The workbench pages with a browser session: inbox, task page actions, acceptance desk."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.casework.workbench.support import PASSWORD, County

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(county: County, username: str) -> FlaskClient:
    """A fresh browser signed in as USERNAME."""
    browser = county.app.test_client()
    token = _TOKEN.search(browser.get("/login").get_data(as_text=True))
    assert token
    response = browser.post("/login", data={"username": username, "password": PASSWORD,
                                            "csrf_token": token.group(1)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser


def csrf(browser: FlaskClient, path: str) -> str:
    page = browser.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    found = _TOKEN.search(page.get_data(as_text=True))
    assert found
    return found.group(1)


def test_the_inbox_page_shows_only_the_own_branch_work(county: County) -> None:
    ty = county.walk_in("clerk_ty")
    ya = county.walk_in("clerk_ya")
    page = sign_in(county, "clerk_ty").get("/workbench?tab=group").get_data(as_text=True)
    assert f'data-case-number="{ty["number"]}"' in page
    assert f'data-case-number="{ya["number"]}"' not in page
    assert re.search(r'data-testid="count-group">1<', page)
    # a visitor is sent to sign in; an applicant may not open the workbench
    assert county.app.test_client().get("/workbench").status_code == 302


def test_a_reviewer_decides_a_restaurant_item_from_the_task_page(county: County) -> None:
    case = county.walk_in("clerk_ty")
    county.accept(case["id"])
    review = county.open_items(case["id"], "review")
    market = next(w for w in review if w.input_data.get("item_code") == "MS-001")
    browser = sign_in(county, "rev_market")
    path = f"/workbench/tasks/{market.id}"
    page = browser.get(path).get_data(as_text=True)
    assert case["number"] in page and 'data-testid="task-form"' in page
    assert 'data-testid="quick-return"' in page

    token = csrf(browser, path)
    wrong = browser.post(f"{path}/complete", data={"csrf_token": token, "decision": "approve"})
    assert wrong.status_code == 422
    assert 'id="f-certificate_no-error"' in wrong.get_data(as_text=True)
    assert county.open_items(case["id"], "review")  # nothing moved

    done = browser.post(f"{path}/complete", data={"csrf_token": token, "decision": "approve",
                                                  "certificate_no": "91371481MA3TEST01"})
    assert done.status_code == 302
    assert market.id not in {w.id for w in county.open_items(case["id"], "review")}
    assert "task.completed" in county.actions(case["id"])


def test_a_reviewer_returns_the_case_to_acceptance(county: County) -> None:
    case = county.walk_in("clerk_ty")
    county.accept(case["id"])
    market = next(w for w in county.open_items(case["id"], "review")
                  if w.input_data.get("item_code") == "MS-010")
    browser = sign_in(county, "rev_market")
    path = f"/workbench/tasks/{market.id}"
    preset = browser.get(f"{path}?action=return").get_data(as_text=True)
    assert re.search(r'<option value="return"\s+selected', preset)

    response = browser.post(f"{path}/complete", data={
        "csrf_token": csrf(browser, path), "decision": "return",
        "return_reason": "经营场所地址与租赁合同不一致"})
    assert response.status_code == 302
    assert market.id not in {w.id for w in county.open_items(case["id"])}
    # the window of the accepting branch re-checks the returned item (or the whole case)
    window = [w for w in county.open_items(case["id"]) if w.element_id in ("recheck", "accept")]
    assert len(window) == 1
    group = county.api("clerk_ty", "GET", "/inbox", query_string={"tab": "group"}).get_json()
    assert window[0].id in {row["id"] for row in group["items"]}
    other = county.api("clerk_ya", "GET", "/inbox", query_string={"tab": "group"}).get_json()
    assert other["items"] == []


def test_comment_watch_and_delegate_from_the_task_page(county: County) -> None:
    case = county.walk_in("clerk_ty")
    task = county.task(case["id"], "accept")
    browser = sign_in(county, "clerk_ty")
    path = f"/workbench/tasks/{task}"
    token = csrf(browser, path)
    assert browser.post(f"{path}/comment", data={"csrf_token": token,
                                                 "body": "请核对身份证原件"}).status_code == 302
    assert browser.post(f"{path}/watch", data={"csrf_token": token}).status_code == 302
    page = browser.get(path).get_data(as_text=True)
    assert "请核对身份证原件" in page and "Stop watching" in page or "取消关注" in page

    refused = browser.post(f"{path}/delegate", data={"csrf_token": token, "to": "clerk_ya"},
                           follow_redirects=True)
    assert "clerk_ya 不能办理此任务：该任务不属于其所在机构或岗位。" in \
        refused.get_data(as_text=True)
    assert browser.post(f"{path}/delegate", data={"csrf_token": token,
                                                  "to": "clerk_ty2"}).status_code == 302
    assert county.open_items(case["id"], "accept")[0].assignee == "clerk_ty2"


def test_the_acceptance_desk_starts_a_walk_in_case(county: County) -> None:
    browser = sign_in(county, "clerk_ty")
    page = browser.get("/workbench/desk?bundle=restaurant").get_data(as_text=True)
    assert 'id="f-area"' in page and 'data-testid="desk-form"' in page
    form = {"csrf_token": csrf(browser, "/workbench/desk?bundle=restaurant"),
            "bundle": "restaurant", "area": "120", "menu": "hot_food",
            "applicant": "铁营小面馆", "applicant_user": "wang_wu", "new_applicant": "true"}
    missing = browser.post("/workbench/desk", data={**form, "menu": ""})
    assert missing.status_code == 422 and 'id="f-menu-error"' in missing.get_data(as_text=True)

    started = browser.post("/workbench/desk", data=form)
    assert started.status_code == 201, started.get_data(as_text=True)
    text = started.get_data(as_text=True)
    number = re.search(r'data-testid="started-number">([^<]+)<', text)
    assert number and 'data-testid="new-password"' in text
    mine = county.api("clerk_ty", "GET", "/inbox", query_string={"tab": "group"}).get_json()
    row = next(r for r in mine["items"] if r["case_number"] == number.group(1))
    assert (row["office"], row["channel"]) == ("branch_tieying", "window")
