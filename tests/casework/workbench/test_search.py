"""Staff case search: by number, applicant name, credit code or phone, within what the
searcher may see; the applicant's side cannot use it; empty and bad input are refused."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select

from engine.casework import search
from engine.core.db import unit_of_work
from engine.models import CaseSearch
from engine.org import users
from tests.casework.workbench.support import ANSWERS, PASSWORD, County, migrated_county
from tests.ui.conftest import sign_in
from web.cli import main
from web.context import onething

APPLICATION = {"applicant": "铁营面馆有限公司", "id_number": "91371481 ma3c000001",
               "contact_name": "王五", "contact_phone": "0534-6221234", "answers": ANSWERS}


def _start(county: County, office: str = "branch_tieying", **data: Any) -> dict[str, Any]:
    response = county.api("applicant_ent", "POST", "/cases", json={
        "process": "restaurant", "office": office, "channel": "online",
        "data": {**APPLICATION, **data}})
    assert response.status_code == 201, response.get_data(as_text=True)
    case: dict[str, Any] = response.get_json()
    return case


def _numbers(county: County, who: str, q: str) -> list[str]:
    response = county.api(who, "GET", "/cases/search", query_string={"q": q})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [hit["number"] for hit in response.get_json()["items"]]


def test_the_start_stores_the_declared_fields_normalised(county):
    case = _start(county)
    with unit_of_work(county.factory, read_only=True) as s:
        row = s.scalar(select(CaseSearch).where(CaseSearch.case_id == case["id"]))
    assert row is not None
    assert (row.applicant_name, row.credit_code, row.phone) == (
        "铁营面馆有限公司", "91371481MA3C000001", "05346221234")


@pytest.mark.parametrize("q", ["{number}", "{tail}", "铁营面馆", "面馆有限",
                               "91371481MA3C000001", "91371481ma3c000001",
                               "0534-6221234", "05346221234"],
                         ids=["number", "number-tail", "name", "name-part", "credit-code",
                              "credit-code-lower", "phone", "phone-digits"])
def test_each_key_finds_the_case(county, q):
    case = _start(county)
    _start(county, applicant="阳安烧烤店", id_number="92371481MA3D000002",
           contact_phone="13800000000")
    text = q.format(number=case["number"], tail=case["number"].rsplit("-", 1)[1])
    assert _numbers(county, "clerk_ty", text) == [case["number"]]


def test_a_clerk_of_another_office_does_not_find_a_case_outside_their_sight(county):
    case = _start(county)
    assert _numbers(county, "clerk_ty", "铁营面馆") == [case["number"]]
    assert _numbers(county, "clerk_ya", "铁营面馆") == []
    assert _numbers(county, "clerk_ya", case["number"]) == []
    # who reads every case finds it
    assert _numbers(county, "supervisor", "91371481MA3C000001") == [case["number"]]


def test_the_applicants_side_may_not_search(county):
    _start(county)
    response = county.api("applicant_ent", "GET", "/cases/search", query_string={"q": "铁营"})
    assert response.status_code == 403


def test_an_empty_query_is_refused_not_a_dump(county):
    _start(county)
    response = county.api("clerk_ty", "GET", "/cases/search", query_string={"q": "  "})
    assert response.status_code == 400
    assert response.get_json()["detail"].startswith("enter a case number")
    long = county.api("clerk_ty", "GET", "/cases/search", query_string={"q": "x" * 101})
    assert long.status_code == 422
    deep = county.api("clerk_ty", "GET", "/cases/search", query_string={"q": "铁营", "page": 0})
    assert deep.status_code == 422


def test_hits_are_paged(county):
    numbers = [_start(county)["number"] for _ in range(3)]
    first = county.api("clerk_ty", "GET", "/cases/search",
                       query_string={"q": "铁营面馆", "limit": 2}).get_json()
    second = county.api("clerk_ty", "GET", "/cases/search",
                        query_string={"q": "铁营面馆", "limit": 2, "page": 2}).get_json()
    assert first["has_next"] and not second["has_next"]
    found = [h["number"] for h in first["items"] + second["items"]]
    assert sorted(found) == sorted(numbers)


def test_the_page_lists_hits_by_name_and_links_the_task(county):
    case = _start(county)
    sign_in(county.client, "clerk_ty")
    hint = county.client.get("/workbench/search").get_data(as_text=True)
    assert "统一社会信用代码" in hint
    page = county.client.get("/workbench/search", query_string={"q": "0534-6221234"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert case["number"] in text and "铁营面馆有限公司" in text
    assert "/workbench/tasks/" in text
    assert "没有" in county.client.get("/workbench/search",
                                      query_string={"q": "不存在的企业"}).get_data(as_text=True)


def test_the_page_is_not_for_applicants(county):
    with unit_of_work(county.factory) as s:
        users.add_user(s, "applicant_two", PASSWORD, groups=["applicant"])
    sign_in(county.client, "applicant_two")
    assert county.client.get("/workbench/search?q=铁营").status_code == 403
    assert "nav-search" not in county.client.get("/portal/").get_data(as_text=True)


def test_cases_started_before_the_search_are_indexed_once_on_upgrade(county):
    first, second = _start(county), _start(county, applicant="阳安烧烤店",
                                          id_number="92371481MA3D000002")
    with unit_of_work(county.factory) as s:  # as a database from before migration 0013
        s.execute(delete(CaseSearch))
    assert _numbers(county, "clerk_ty", "铁营面馆") == []
    shared = onething(county.app)
    with unit_of_work(county.factory) as s:
        assert search.backfill(shared.rt, s, limit=1) == [first["id"]]
    with unit_of_work(county.factory) as s:
        assert search.backfill(shared.rt, s, after=first["id"]) == [second["id"]]
    with unit_of_work(county.factory) as s:
        assert search.backfill(shared.rt, s, after=second["id"]) == []
        assert len(s.scalars(select(CaseSearch)).all()) == 2  # nothing twice
    assert _numbers(county, "clerk_ty", "铁营面馆") == [first["number"]]
    assert _numbers(county, "clerk_ty", "92371481MA3D000002") == [second["number"]]


def test_db_upgrade_fills_the_search_of_earlier_cases(tmp_path):
    # a migrated database (not the fixtures' create_all), with one case and no search row
    with migrated_county(tmp_path) as (county, url):
        case = _start(county)
        with unit_of_work(county.factory) as s:
            s.execute(delete(CaseSearch))
        result = CliRunner().invoke(main, ["--database-url", url, "db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert "search index: 1 earlier cases looked at" in result.output
        assert _numbers(county, "clerk_ty", "铁营面馆") == [case["number"]]
        again = CliRunner().invoke(main, ["--database-url", url, "db", "upgrade"])
        assert again.exit_code == 0 and "search index" not in again.output

