"""Task instructions read with the case's values, the applicant is told what is missing, and
the acceptance checklist offers only the materials the applicant's situation needs."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.casework import completion
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.core.errors import InvalidInput
from engine.models import WorkItem
from tests.casework.pages.applying import ann_applies, post_staff
from tests.casework.pages.test_journey import _complete
from tests.ui.conftest import csrf_of, sign_in
from web.context import onething

# the restaurant case below is accepted at branch_tieying; two clerks of the same role
STAFF = {"win_ty": ("branch_tieying", "window_clerk"), "win_ty2": ("branch_tieying",
                                                                   "window_clerk"),
         "rev_ty": ("branch_tieying", "reviewer")}
# what the form names each material the situation (180 m², hot food, no sign) needs not
NOT_NEEDED = ("sign_design", "owner_consent", "special_room_layout")


@pytest.fixture
def case(app: Flask, client: FlaskClient, person: Callable[..., str], restaurant: str,
         ) -> str:
    """A restaurant case ann applied for online at Tieying; its number."""
    post_staff(app, STAFF)
    return ann_applies(app, client, person)


def _open(app: Flask, element: str) -> dict[str, WorkItem]:
    """The open tasks ELEMENT by item code ('' for a task of the whole case)."""
    with unit_of_work(onething(app).factory, read_only=True) as session:
        rows = session.scalars(select(WorkItem).where(WorkItem.element_id == element,
                                                      WorkItem.state == "open")).all()
        for row in rows:
            session.expunge(row)
        return {str(w.input_data.get("item_code") or ""): w for w in rows}


def _browser(app: Flask, username: str) -> FlaskClient:
    browser = app.test_client()
    sign_in(browser, username)
    return browser


def _instruction(page: str) -> str:
    found = re.search(r'<p class="help">(.*?)</p>', page, re.S)
    assert found, "the task page shows no instruction"
    return html.unescape(found.group(1))


def test_the_reviewer_reads_which_item_the_task_decides(app: Flask, case: str) -> None:
    _complete(app, "accept", {"outcome": "accept"})
    reviews = _open(app, "review")
    page = _browser(app, "rev_ty").get(f"/workbench/tasks/{reviews['MS-010'].id}")
    said = _instruction(page.get_data(as_text=True))
    assert said.startswith("主管部门审查本事项：食品经营许可（MS-010）")
    for placeholder in ("item_code", "item_name", "return_to", "{{", "item_mode"):
        assert placeholder not in said
    licence = _instruction(_browser(app, "rev_ty").get(
        f"/workbench/tasks/{reviews['MS-001'].id}").get_data(as_text=True))
    assert "（MS-001）" in licence and "食品经营许可" not in licence


def test_the_window_recheck_reads_the_departments_reason(app: Flask, case: str) -> None:
    _complete(app, "accept", {"outcome": "accept"})
    _complete(app, "review", {"decision": "return", "return_to": "accept",
                              "return_reason": "平面布局图缺少操作流程"}, code="MS-010")
    recheck = _open(app, "recheck")["MS-010"]
    for clerk in ("win_ty", "win_ty2"):
        said = _instruction(_browser(app, clerk).get(
            f"/workbench/tasks/{recheck.id}").get_data(as_text=True))
        assert "退回理由：平面布局图缺少操作流程" in said
        assert "食品经营许可（MS-010）" in said
        assert "return_reason" not in said and "recheck_group" not in said


def test_the_applicant_case_page_lists_the_missing_materials_by_name(
        app: Flask, client: FlaskClient, case: str) -> None:
    _complete(app, "accept", {"outcome": "supplement",
                              "missing_materials": ["health_certificates", "layout_plan"],
                              "supplement_note": "健康证须在有效期内"})
    page = client.get(f"/portal/cases/{case}").get_data(as_text=True)
    found = re.search(r'<section[^>]*data-testid="missing".*?</section>', page, re.S)
    assert found, "the case page does not say what is missing"
    missing = html.unescape(found.group(0))
    assert "您还需补交的材料" in missing
    assert "从业人员健康证明" in missing
    assert "经营场所平面布局图、设备布局及操作流程图" in missing
    assert "健康证须在有效期内" in missing
    assert "health_certificates" not in missing and "layout_plan" not in missing
    # the applicant's own step reads the same list by name
    supplement = _open(app, "supplement")[""]
    assert supplement.documentation is not None
    assert "从业人员健康证明、经营场所平面布局图" in supplement.documentation
    assert "missing_materials" not in supplement.documentation


def test_no_missing_list_while_nothing_is_asked(app: Flask, client: FlaskClient,
                                                case: str) -> None:
    page = client.get(f"/portal/cases/{case}").get_data(as_text=True)
    assert 'data-testid="missing"' not in page


def test_the_checklist_offers_only_the_materials_the_situation_needs(app: Flask,
                                                                     case: str) -> None:
    accept = _open(app, "accept")[""]
    page = _browser(app, "win_ty").get(f"/workbench/tasks/{accept.id}").get_data(as_text=True)
    form = page[page.index('id="form-h"'):]
    assert 'value="health_certificates"' in form and 'value="id_card"' in form
    for code in NOT_NEEDED:
        assert f'value="{code}"' not in form, f"{code} does not apply, yet is offered"
    assert "招牌设计效果图" not in form


def test_a_material_the_case_does_not_need_is_refused(app: Flask, case: str) -> None:
    accept = _open(app, "accept")[""]
    clerk = Actor("win_ty", frozenset(accept.candidate_names("group")))
    with unit_of_work(onething(app).factory) as session, \
            pytest.raises(InvalidInput) as refused:
        completion.complete(onething(app).rt, session, accept.id, {
            "outcome": "supplement", "missing_materials": ["id_card", "sign_design"]}, clerk)
    assert "sign_design" in refused.value.message and "id_card" not in refused.value.message
    assert [f.path for f in refused.value.fields] == ["missing_materials/1"]
    assert _open(app, "accept")[""].id == accept.id


def test_the_page_refuses_a_material_the_case_does_not_need_with_422(
        app: Flask, case: str) -> None:
    accept = _open(app, "accept")[""]
    browser = _browser(app, "win_ty")
    path = f"/workbench/tasks/{accept.id}"
    response = browser.post(f"{path}/complete", data={
        "csrf_token": csrf_of(browser, path), "outcome": "supplement",
        "missing_materials": ["id_card", "owner_consent"]})
    assert response.status_code == 422
    assert "Traceback" not in response.get_data(as_text=True)
    assert "supplement" not in _open(app, "supplement")
