"""One restaurant case from the applicant's side: upload, decisions, delivery, result, rating."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.casework import completion
from engine.core import clock
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.models import Case, Rating, WorkItem
from tests.casework.pages.test_portal import application
from tests.ui.conftest import csrf_of, sign_in
from web.context import onething

EN = {"Accept-Language": "en"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def frozen() -> Iterator[datetime]:
    """The clock stopped at 02:00 UTC, which is 10:00 in Shanghai."""
    at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    clock.freeze(at)
    yield at
    clock.reset()


def _complete(app: Flask, element: str, data: dict[str, object],
              code: str | None = None) -> None:
    """Complete the open ELEMENT (of item CODE) as a member of its candidate group."""
    with unit_of_work(onething(app).factory) as session:
        items = session.scalars(select(WorkItem).where(WorkItem.element_id == element,
                                                       WorkItem.state == "open")).all()
        item = next(i for i in items if code is None or i.input_data.get("item_code") == code)
        groups = frozenset(item.candidate_names("group"))
        completion.complete(onething(app).rt, session, item.id, data,
                            Actor(f"staff_{element}", groups))


def test_an_applicant_follows_a_case_to_its_result_and_rates_it(
        app: Flask, client: FlaskClient, person: Callable[..., str], restaurant: str,
        frozen: datetime) -> None:
    person("ann", "applicant")
    sign_in(client, "ann")
    client.post("/portal/bundles/restaurant/apply", data=application(
        csrf_of(client, "/portal/bundles/restaurant/apply"), action="submit"))
    with unit_of_work(onething(app).factory) as session:
        number = session.scalars(select(Case.number)).one()
    page = client.get(f"/portal/cases/{number}", headers=EN).get_data(as_text=True)
    # times are shown in the office time zone (Asia/Shanghai)
    assert re.search(r"Mar 2, 2026, 10:00:00\sAM", page)

    # a material goes through the API with the session cookie and the page's CSRF token
    url = f"/api/v1/cases/{number}/materials"
    refused = client.post(url, data={"code": "id_card", "file": (io.BytesIO(PNG), "id.png")},
                          content_type="multipart/form-data")
    assert refused.status_code == 400
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert token
    uploaded = client.post(url, data={"code": "id_card", "file": (io.BytesIO(PNG), "id.png")},
                           content_type="multipart/form-data",
                           headers={"X-CSRF-Token": token.group(1)})
    assert uploaded.status_code == 201, uploaded.get_data(as_text=True)

    _complete(app, "accept", {"outcome": "accept"})
    _complete(app, "review", {"decision": "approve", "certificate_no": "JY-2026-0001"},
              "MS-010")
    _complete(app, "review", {"decision": "approve", "certificate_no": "YZ-2026-0001"},
              "MS-001")
    _complete(app, "review", {"decision": "refuse", "refuse_reason": "疏散通道不足"},
              "FR-001")

    page = client.get(f"/portal/cases/{number}", headers=EN).get_data(as_text=True)
    assert "Material handed in: id.png" in page
    assert 'data-testid="task-form-choose_delivery"' in page
    with unit_of_work(onething(app).factory) as session:
        delivery = session.scalars(select(WorkItem.id).where(
            WorkItem.element_id == "choose_delivery", WorkItem.state == "open")).one()
    sent = client.post(f"/portal/cases/{number}/tasks/{delivery}",
                       data={"csrf_token": token.group(1), "delivery": "window"})
    assert sent.status_code == 302

    result = client.get(f"/portal/cases/{number}/result", headers=EN).get_data(as_text=True)
    assert 'data-testid="result-page"' in result
    rows = dict(re.findall(r'<tr data-item="([A-Z]+-\d+)">(.*?)</tr>', result, re.S))
    assert "JY-2026-0001" in rows["MS-010"] and 'data-status="approved"' in rows["MS-010"]
    assert "疏散通道不足" in rows["FR-001"] and 'data-status="refused"' in rows["FR-001"]

    page = client.get(f"/portal/cases/{number}", headers=EN).get_data(as_text=True)
    assert 'data-status="completed"' in page and 'id="rating-form"' in page
    rated = client.post(f"/portal/cases/{number}/rating",
                        data={"csrf_token": token.group(1), "level": "very_satisfied",
                              "comment": "一次办好"})
    assert rated.status_code == 302
    with unit_of_work(onething(app).factory) as session:
        rating = session.scalars(select(Rating)).one()
        assert (rating.level, rating.rater) == ("very_satisfied", "ann")
    again = client.post(f"/portal/cases/{number}/rating",
                        data={"csrf_token": token.group(1), "level": "satisfied"})
    assert again.status_code == 409 and again.mimetype == "text/html"
    assert 'data-testid="rating-given"' in client.get(f"/portal/cases/{number}").get_data(
        as_text=True)
