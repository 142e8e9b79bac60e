"""The audit page names each event and shows its details as readable lines in Chinese."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.casework import completion, cooperation
from engine.core.actors import SYSTEM, Actor
from engine.core.db import unit_of_work
from engine.models import Case, WorkItem
from tests.casework.pages.applying import ann_applies
from tests.ui.conftest import sign_in
from web.context import onething

EN = {"Accept-Language": "en"}
QUESTION = "后厨排烟管道是否需要单独消防验收？"


def a_case_with_cooperation(app: Flask, client: FlaskClient,
                            person: Callable[..., str]) -> str:
    """Ann applies for a restaurant; the acceptance task asks the fire brigade a question."""
    number = ann_applies(app, client, person)
    with unit_of_work(onething(app).factory) as session:
        case = session.scalars(select(Case)).one()
        accept = session.scalars(select(WorkItem).where(WorkItem.case_id == case.id,
                                                        WorkItem.element_id == "accept")).one()
        cooperation.ask(session, accept.id, "reviewer@dept_fire", QUESTION, SYSTEM)
    return number


def audit_reader(app: Flask, person: Callable[..., str]) -> FlaskClient:
    """A supervisor signed in, who reads the audit trail."""
    reader = app.test_client()
    person("auditor", "supervisor")
    sign_in(reader, "auditor")
    return reader


def rows(page: str) -> list[str]:
    body = page.split('data-testid="audit"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", body, re.S)


def test_events_by_name_and_details_in_chinese(app: Flask, client: FlaskClient,
                                               person: Callable[..., str],
                                               restaurant: str) -> None:
    number = a_case_with_cooperation(app, client, person)
    reader = audit_reader(app, person)
    page = reader.get("/admin/audit", query_string={"case": number}).get_data(as_text=True)
    text = html.unescape(page)
    events = re.findall(r'data-testid="audit-event" data-action="([^"]+)">([^<]+)<', page)
    shown = dict(events)
    assert shown["draft.submitted"] == "提交申请"
    assert shown["cooperation.asked"] == "发起协办"
    # no event is printed by its code, no detail as escaped JSON
    assert all(kind != name for kind, name in events)
    assert ">draft.submitted<" not in page and "\\u" not in page and "{&#34;" not in page
    asked = next(r for r in rows(page) if 'data-action="cooperation.asked"' in r)
    details = html.unescape(asked)
    assert f"<dd>{QUESTION}</dd>" in details
    assert "<dt>岗位组</dt><dd>乐陵市消防救援大队 审批人员</dd>" in details
    assert "reviewer@dept_fire" not in details
    assert "LL-" in text


def test_the_action_filter_is_a_list_of_event_names(app: Flask, client: FlaskClient,
                                                   person: Callable[..., str],
                                                   restaurant: str) -> None:
    number = a_case_with_cooperation(app, client, person)
    reader = audit_reader(app, person)
    page = reader.get("/admin/audit").get_data(as_text=True)
    choices = re.search(r'<select id="action".*?</select>', page, re.S)
    assert choices and '<option value="draft.submitted" >提交申请</option>' in choices.group(0)
    only = reader.get("/admin/audit", query_string={"action": "draft.submitted",
                                                   "case": number}).get_data(as_text=True)
    assert [kind for kind, _name in re.findall(
        r'data-testid="audit-event" data-action="([^"]+)">([^<]+)<', only)] == [
        "draft.submitted"]
    english = reader.get("/admin/audit", headers=EN,
                         query_string={"case": number}).get_data(as_text=True)
    assert ">application submitted<" in english and ">co-handling asked<" in english


def test_a_completed_task_shows_what_was_entered_by_the_form_s_titles(
        app: Flask, client: FlaskClient, person: Callable[..., str], restaurant: str) -> None:
    number = a_case_with_cooperation(app, client, person)
    with unit_of_work(onething(app).factory) as session:
        accept = session.scalars(select(WorkItem).where(
            WorkItem.element_id == "accept", WorkItem.kind == "user")).one()
        completion.complete(onething(app).rt, session, accept.id,
                            {"outcome": "accept", "acceptance_note": "材料齐全"},
                            Actor("clerk", frozenset(accept.candidate_names("group"))))
    reader = audit_reader(app, person)
    page = reader.get("/admin/audit", query_string={"case": number}).get_data(as_text=True)
    done = html.unescape(next(r for r in rows(page) if 'data-action="task.completed"' in r))
    # the acceptance form's own titles and the chosen outcome's title, in Chinese
    assert "受理结论: 受理" in done and "备注: 材料齐全" in done
    assert "outcome" not in done and ": accept" not in done
    english = reader.get("/admin/audit", query_string={"case": number}, headers=EN)
    done_en = html.unescape(next(r for r in rows(english.get_data(as_text=True))
                                 if 'data-action="task.completed"' in r))
    assert "Outcome: Accept" in done_en
