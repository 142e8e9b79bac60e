"""The applicant's progress view: the steps in plain words, where the case is, who has it,
until when; each item of the department review with its department and state."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.casework import completion
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.models import Case, WorkItem
from tests.casework.pages.test_portal import application
from tests.ui.conftest import csrf_of, sign_in
from web.context import onething

TAGS = re.compile(r"<[^>]+>")


def _apply(app: Flask, client: FlaskClient, person: Callable[..., str], who: str) -> str:
    person(who, "applicant")
    sign_in(client, who)
    sent = client.post("/portal/bundles/restaurant/apply", data=application(
        csrf_of(client, "/portal/bundles/restaurant/apply"), action="submit"))
    assert sent.status_code == 302, sent.get_data(as_text=True)
    return sent.headers["Location"].rsplit("/", 1)[1]


def _complete(app: Flask, number: str, element: str, data: dict[str, object],
              code: str | None = None) -> None:
    with unit_of_work(onething(app).factory) as session:
        case_id = session.scalars(select(Case.id).where(Case.number == number)).one()
        items = session.scalars(select(WorkItem).where(
            WorkItem.case_id == case_id, WorkItem.element_id == element,
            WorkItem.state == "open")).all()
        item = next(i for i in items if code is None or i.input_data.get("item_code") == code)
        completion.complete(onething(app).rt, session, item.id, data,
                            Actor(f"staff_{element}", frozenset(item.candidate_names("group"))))


def _progress(client: FlaskClient, number: str) -> str:
    page = client.get(f"/portal/cases/{number}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    return text.split('data-testid="progress"', 1)[1].split("</section>", 1)[0]


def _steps(block: str) -> list[tuple[str, str]]:
    """(step name, state words) of each step, as read."""
    found = re.findall(r'<li class="progress-step[^"]*"[^>]*>\s*<span class="progress-name">'
                       r'([^<]*)</span>\s*<span class="progress-state">([^<]*)</span>', block)
    return [(name.strip(), state.strip()) for name, state in found]


def _item_line(block: str, code: str) -> str:
    line = block.split(f'data-item="{code}"', 1)[1].split(">", 1)[1].split("</li>", 1)[0]
    return " ".join(TAGS.sub(" ", line).split())


def test_at_acceptance_the_window_has_it(app: Flask, client: FlaskClient,
                                         person: Callable[..., str], restaurant: str) -> None:
    number = _apply(app, client, person, "ann")
    block = _progress(client, number)
    assert _steps(block) == [("提交申请", "已完成"), ("窗口受理", "办理中"),
                             ("部门审查", "待办理"), ("领取结果", "待办理")]
    now = " ".join(TAGS.sub(" ", block.split('data-testid="progress-now"', 1)[1]
                            .split("</div>", 1)[0]).split())
    assert re.search(r"由[^ ]*铁营政务服务分中心[^ ]* 窗口人员办理，期限 \d{4}年", now)
    assert "window_clerk" not in block
    assert re.search(r"经办：[^<]*铁营[^<]* 窗口人员", block)
    assert "branch_tieying" not in block
    # nothing for the applicant to do while the window checks
    assert 'data-testid="progress-todo"' not in block
    # the diagram and the full timeline are folded away
    page = client.get(f"/portal/cases/{number}").get_data(as_text=True)
    assert re.search(r'<details class="panel fold diagram-fold" data-testid="diagram-details">'
                     r'\s*<summary[^>]*>查看流程图</summary>', page)
    assert '<details class="panel fold" data-testid="timeline-details">' in page


def test_at_review_each_item_names_its_department(app: Flask, client: FlaskClient,
                                                  person: Callable[..., str],
                                                  restaurant: str) -> None:
    number = _apply(app, client, person, "ann")
    _complete(app, number, "accept", {"outcome": "accept"})
    block = _progress(client, number)
    steps = _steps(block)
    assert steps[:3] == [("提交申请", "已完成"), ("窗口受理", "已完成"), ("部门审查", "办理中")]
    assert steps[-1] == ("领取结果", "待办理")
    assert _item_line(block, "MS-010") == "食品经营许可 — 市场监督管理局 — 审查中"
    assert "审查中" in _item_line(block, "MS-001")
    assert "消防" in _item_line(block, "FR-001") and "审查中" in _item_line(block, "FR-001")
    assert re.search(r'data-testid="progress-due">承诺 \d+ 个工作日内办结，即 [^<]+ 前。', block)


def test_a_decided_item_says_so(app: Flask, client: FlaskClient, person: Callable[..., str],
                                restaurant: str) -> None:
    number = _apply(app, client, person, "ann")
    _complete(app, number, "accept", {"outcome": "accept"})
    _complete(app, number, "review", {"decision": "approve", "certificate_no": "JY-2026-0001"},
              "MS-010")
    _complete(app, number, "review", {"decision": "refuse", "refuse_reason": "疏散通道不足"},
              "FR-001")
    block = _progress(client, number)
    assert _item_line(block, "MS-010").endswith("已准予")
    assert _item_line(block, "FR-001").endswith("不予许可")
    assert _item_line(block, "MS-001").endswith("审查中")
    assert ("部门审查", "办理中") in _steps(block)


def test_the_applicants_turn_has_a_button(app: Flask, client: FlaskClient,
                                          person: Callable[..., str], restaurant: str) -> None:
    number = _apply(app, client, person, "ann")
    _complete(app, number, "accept", {"outcome": "supplement",
                                      "missing_materials": ["premises_proof"],
                                      "supplement_note": "请补交租赁合同"})
    block = _progress(client, number)
    assert ("补正材料", "办理中") in _steps(block)
    assert "现在请您：补正材料" in block and "经办：您" in block
    assert 'href="#task-supplement"' in block and "去办理" in block
    page = client.get(f"/portal/cases/{number}").get_data(as_text=True)
    assert 'id="task-supplement"' in page


def test_another_applicant_sees_nothing(app: Flask, client: FlaskClient,
                                        person: Callable[..., str], restaurant: str) -> None:
    number = _apply(app, client, person, "ann")
    other = app.test_client()
    person("bob", "applicant")
    sign_in(other, "bob")
    refused = other.get(f"/portal/cases/{number}")
    assert refused.status_code in (403, 404)
    assert "窗口受理" not in refused.get_data(as_text=True)


def test_english_pages_read_in_english(app: Flask, client: FlaskClient,
                                       person: Callable[..., str], restaurant: str) -> None:
    number = _apply(app, client, person, "ann")
    page = client.get(f"/portal/cases/{number}", headers={"Accept-Language": "en"})
    block = page.get_data(as_text=True).split('data-testid="progress"', 1)[1]
    assert ("Window acceptance", "in progress") in _steps(block)
    assert ("Department review", "to come") in _steps(block)


def test_a_designers_diagram_shows_its_own_task_titles(app: Flask, client: FlaskClient,
                                                       person: Callable[..., str]) -> None:
    from engine.casework import cases
    from engine.core.actors import SYSTEM
    from engine.design import deployments
    from tests.web.support import signboard_files

    person("ann", "applicant")
    shared = onething(app)
    with unit_of_work(shared.factory) as session:
        deployments.deploy(session, deployments.read_paths(signboard_files()), actor=SYSTEM)
        number = cases.start_case(shared.rt, session, "signboard", {},
                                  actor=Actor("ann", frozenset({"applicant"}))).number
    sign_in(client, "ann")
    block = _progress(client, number)
    # no words known for these steps: the designer's titles, and the way on past the
    # gateway whose default only ends the case
    assert _steps(block) == [("提交申请", "已完成"),
                             ("Check the signboard application", "办理中"),
                             ("Issue the permit", "待办理")]
    assert "经办：窗口人员" in block


@pytest.mark.parametrize("bundle", ["restaurant", "employment", "start-business"])
def test_every_shipped_bundle_has_a_usual_road(bundle: str) -> None:
    from engine.runtime.diagrams.compile import compile_bundle
    from tests.ui.conftest import BUNDLES
    from web.ui.portal.progress_path import usual_road

    compiled = compile_bundle({p.name: p.read_bytes() for p in (BUNDLES / bundle).iterdir()})
    assert usual_road(compiled.specs, compiled.process_ids[0]) == [
        "accept", "review", "choose_delivery"]
