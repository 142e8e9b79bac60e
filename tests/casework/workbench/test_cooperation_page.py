"""The co-handling (协办) page, and the task page for every kind and state of work item."""

from __future__ import annotations

import uuid

from engine.core import clock
from engine.core.db import unit_of_work
from engine.models import CooperationRequest, WorkItem
from tests.casework.workbench.support import County
from tests.casework.workbench.test_pages import csrf, sign_in

QUESTION = "请确认该场所是否在消防重点单位名录内"


def ask(county: County) -> tuple[dict[str, int | str], str, str]:
    """clerk_ty asks the market reviewers about the acceptance task of a new case."""
    case = county.walk_in("clerk_ty")
    main = county.task(case["id"], "accept")
    response = county.api("clerk_ty", "POST", f"/tasks/{main}/cooperation",
                          json={"group": "reviewer@dept_market", "question": QUESTION})
    assert response.status_code == 201, response.get_data(as_text=True)
    return case, main, response.get_json()["cooperation_task_id"]


def request_state(county: County, item_id: str) -> tuple[str, str | None]:
    with unit_of_work(county.factory, read_only=True) as s:
        row = s.query(CooperationRequest).filter_by(cooperation_item_id=item_id).one()
        return row.state, row.answer


def test_opening_a_cooperation_item_shows_the_question_and_answers_it(county: County) -> None:
    case, main, item = ask(county)
    browser = sign_in(county, "rev_market")
    inbox = browser.get("/workbench?tab=group").get_data(as_text=True)
    assert item in inbox
    opened = browser.get(f"/workbench/tasks/{item}")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/workbench/cooperation/{item}")
    page = browser.get(f"/workbench/cooperation/{item}").get_data(as_text=True)
    assert QUESTION in page and str(case["number"]) in page
    assert f'data-testid="asking-task" data-task-id="{main}"' in page
    assert 'data-testid="cooperation-answer-form"' in page

    path = f"/workbench/cooperation/{item}"
    empty = browser.post(f"{path}/answer", data={"csrf_token": csrf(browser, path),
                                                 "answer": "   "})
    assert empty.status_code == 422 and 'data-testid="form-error"' in empty.get_data(as_text=True)
    assert request_state(county, item) == ("open", None)

    done = browser.post(f"{path}/answer", data={"csrf_token": csrf(browser, path),
                                                "answer": "不在名录内，无需消防审查"})
    assert done.status_code == 302
    assert request_state(county, item) == ("answered", "不在名录内，无需消防审查")
    assert "cooperation.answered" in county.actions(int(case["id"]))
    # answered: the page is read-only now, and a second answer is refused with a message
    again = browser.get(path).get_data(as_text=True)
    assert "不在名录内，无需消防审查" in again
    assert 'data-testid="cooperation-answer-form"' not in again
    twice = browser.post(f"{path}/answer", data={"csrf_token": csrf(browser, path),
                                                 "answer": "再答一次"}, follow_redirects=True)
    assert twice.status_code == 200 and "当前状态：已回复" in twice.get_data(as_text=True)
    assert "already answered" not in twice.get_data(as_text=True)
    assert request_state(county, item)[1] == "不在名录内，无需消防审查"


def test_the_asking_task_page_lists_requests_and_answers(county: County) -> None:
    _case, main, item = ask(county)
    asker = sign_in(county, "clerk_ty")
    waiting = asker.get(f"/workbench/tasks/{main}").get_data(as_text=True)
    assert 'data-testid="cooperation-request"' in waiting and QUESTION in waiting
    assert 'data-state="open"' in waiting and 'data-testid="task-form"' in waiting
    county.api("rev_market", "POST", f"/cooperation/{item}/answer", json={"answer": "无异议"})
    answered = asker.get(f"/workbench/tasks/{main}").get_data(as_text=True)
    assert 'data-state="answered"' in answered and "无异议" in answered


def test_only_the_asked_group_answers(county: County) -> None:
    case, _main, item = ask(county)
    clerk = sign_in(county, "clerk_ty")  # the asker sees the request but may not answer it
    path = f"/workbench/cooperation/{item}"
    page = clerk.get(path)
    assert page.status_code == 200
    assert 'data-testid="cannot-answer"' in page.get_data(as_text=True)
    refused = clerk.post(f"{path}/answer", data={"csrf_token": csrf(clerk, path),
                                                 "answer": "我来回答"})
    assert refused.status_code == 403
    assert request_state(county, item) == ("open", None)
    # another branch's clerk may not even look
    assert sign_in(county, "clerk_ya").get(path).status_code == 403
    assert county.status(int(case["id"])) == "running"


def test_unknown_and_wrong_kind_ids_are_a_404_page(county: County) -> None:
    case = county.walk_in("clerk_ty")
    main = county.task(case["id"], "accept")
    browser = sign_in(county, "clerk_ty")
    for path in ("/workbench/tasks/no-such-task", "/workbench/cooperation/no-such-task",
                 f"/workbench/cooperation/{main}"):
        response = browser.get(path)
        assert response.status_code == 404, path
        assert "text/html" in response.content_type
    path = f"/workbench/tasks/{main}"
    posted = browser.post(f"/workbench/cooperation/{main}/answer",
                          data={"csrf_token": csrf(browser, path), "answer": "x"})
    assert posted.status_code == 404


def test_an_external_work_item_opens_read_only(county: County) -> None:
    case = county.walk_in("clerk_ty")
    external = str(uuid.uuid4())
    with unit_of_work(county.factory) as s:
        s.add(WorkItem(id=external, case_id=case["id"], kind="external", element_id="check",
                       process_id="restaurant", title="核验营业执照", state="open",
                       topic="licence-check", created_at=clock.now(), properties={},
                       input_data={}))
    browser = sign_in(county, "clerk_ty")
    response = browser.get(f"/workbench/tasks/{external}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-testid="read-only" data-kind="external"' in page
    assert 'data-testid="task-form"' not in page and 'data-testid="claim"' not in page
    # posting the task form anyway is refused with a message, the item stays open
    done = browser.post(f"/workbench/tasks/{external}/complete",
                        data={"csrf_token": csrf(browser, f"/workbench/tasks/{external}")},
                        follow_redirects=True)
    assert done.status_code == 200 and "外部系统" in done.get_data(as_text=True)
    assert "external-task API" not in done.get_data(as_text=True)
    assert external in {w.id for w in county.open_items(case["id"])}


def test_completed_and_cancelled_items_open_read_only(county: County) -> None:
    case = county.walk_in("clerk_ty")
    accept = county.task(case["id"], "accept")
    county.accept(case["id"])
    browser = sign_in(county, "clerk_ty")
    done = browser.get(f"/workbench/tasks/{accept}")
    assert done.status_code == 200
    page = done.get_data(as_text=True)
    assert 'data-status="completed"' in page and 'data-testid="task-form"' not in page
    repeat = browser.post(f"/workbench/tasks/{accept}/complete",
                          data={"csrf_token": csrf(browser, f"/workbench/tasks/{accept}"),
                                "outcome": "accept"}, follow_redirects=True)
    assert repeat.status_code == 200
    assert "待办“受理审查”已由 clerk_ty 处理（已办结）" in repeat.get_data(as_text=True)
    assert "already completed" not in repeat.get_data(as_text=True)

    market = [w for w in county.open_items(case["id"], "review")
              if w.input_data.get("item_code", "").startswith("MS-")]
    cancelled = county.api("clerk_ty", "POST", f"/cases/{case['id']}/cancel",
                           json={"reason": "申请人撤回"})
    assert cancelled.status_code == 200, cancelled.get_data(as_text=True)
    reviewer = sign_in(county, "rev_market")
    assert market
    for w in market:
        response = reviewer.get(f"/workbench/tasks/{w.id}")
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_data(as_text=True)
        assert 'data-status="cancelled"' in page and 'data-testid="task-form"' not in page
