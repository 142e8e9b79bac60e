"""The inbox's columns: applicant, item, office, due date and clock level, each sortable on
the server (whitelisted, keyset-paged), read for a page without a query per row."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import event, select, update

from engine.core.actors import SYSTEM
from engine.core.db import unit_of_work
from engine.models import CommitmentClock, Office
from engine.org import catalog, users
from engine.org.offices.members import set_postings
from tests.casework.workbench.support import ANSWERS, PASSWORD, County
from tests.ui.conftest import sign_in

CATALOG = Path(__file__).resolve().parents[3] / "bpmn" / "catalog" / "items.yaml"


def _start(county: County, applicant: str, office: str) -> int:
    response = county.api("applicant_ent", "POST", "/cases", json={
        "process": "restaurant", "office": office, "channel": "online",
        "data": {"applicant": applicant, "id_number": "91371481MA3C000001",
                 "contact_phone": "0534-6221234", "answers": ANSWERS}})
    assert response.status_code == 201, response.get_data(as_text=True)
    case_id: int = response.get_json()["id"]
    return case_id


def _chief(county: County) -> None:
    """An administrator, whose group tab holds every unclaimed task."""
    with unit_of_work(county.factory) as s:
        users.add_user(s, "chief", admin=True)
    county.tokens["chief"] = county.token("chief")


def _rows(county: County, who: str, **query: str) -> list[dict[str, Any]]:
    """Every row of WHO's group tab, sorted as asked, walked page by page (2 a page)."""
    rows: list[dict[str, Any]] = []
    after = None
    while True:
        args = {"tab": "group", "limit": "2", **query, **({"after": after} if after else {})}
        response = county.api(who, "GET", "/inbox", query_string=args)
        assert response.status_code == 200, response.get_data(as_text=True)
        page = response.get_json()
        rows += page["items"]
        after = page["next_cursor"]
        if after is None:
            return rows


def test_applicant_office_and_clock_columns_sort_on_the_server(county):
    _chief(county)
    with unit_of_work(county.factory) as s:
        s.execute(update(Office).where(Office.code == "branch_yangan").values(name_zh="A阳安分局"))
    b = _start(county, "B面馆", "branch_tieying")
    a = _start(county, "A面馆", "branch_yangan")
    c = _start(county, "C面馆", "branch_tieying")
    by_applicant = _rows(county, "chief", sort="applicant")
    assert [r["applicant_name"] for r in by_applicant] == ["A面馆", "B面馆", "C面馆"]
    assert [r["case_id"] for r in by_applicant] == [a, b, c]

    by_office = _rows(county, "chief", sort="office")
    assert [r["case_id"] for r in by_office][0] == a  # "A阳安分局" sorts before "branch_tieying"
    assert sorted(r["case_id"] for r in by_office[1:]) == sorted([b, c])

    # the commitment clock starts with the acceptance
    county.accept(b)
    county.accept(c)
    county.accept(a, clerk="clerk_ya")
    with unit_of_work(county.factory) as s:
        started = set(s.scalars(select(CommitmentClock.case_id)
                                .where(CommitmentClock.scope == "case")))
        assert started == {a, b, c}
        s.execute(update(CommitmentClock).where(CommitmentClock.case_id == c)
                  .values(level="red"))
        s.execute(update(CommitmentClock).where(CommitmentClock.case_id == a)
                  .values(level="yellow"))
    by_clock = _rows(county, "chief", sort="clock")
    order = {"red": 0, "yellow": 1, "normal": 2}
    levels = [r["clock_level"] for r in by_clock]
    assert levels == sorted(levels, key=order.__getitem__)
    assert {r["case_id"] for r in by_clock if r["clock_level"] == "red"} == {c}
    assert {r["case_id"] for r in by_clock if r["clock_level"] == "yellow"} == {a}
    assert {r["case_id"] for r in by_clock if r["clock_level"] == "normal"} == {b}
    ids = [r["id"] for r in by_clock]
    assert len(ids) == len(set(ids)), "no row twice across the pages"


def test_review_tasks_name_their_item_and_sort_by_it(county):
    _chief(county)
    with unit_of_work(county.factory) as s:
        catalog.import_catalog(s, CATALOG, actor=SYSTEM)
    case = _start(county, "铁营面馆", "branch_tieying")
    county.accept(case)
    rows = _rows(county, "chief", sort="item")
    names = [r["item_name_zh"] for r in rows]
    assert {r["item_code"] for r in rows} == {"MS-001", "MS-010", "FR-001"}
    assert all(names) and names == sorted(names)
    assert "食品经营许可" in names
    assert {r["applicant_name"] for r in rows} == {"铁营面馆"}


def test_a_cursor_of_one_sort_is_refused_by_another_and_unknown_sorts_are_422(county):
    _chief(county)
    for name in ("A面馆", "B面馆", "C面馆"):
        _start(county, name, "branch_tieying")
    page = county.api("chief", "GET", "/inbox",
                      query_string={"tab": "group", "sort": "applicant", "limit": "1"}).get_json()
    wrong = county.api("chief", "GET", "/inbox", query_string={
        "tab": "group", "sort": "due", "limit": "1", "after": page["next_cursor"]})
    assert wrong.status_code == 422
    for sort in ("title", "applicant_name; drop table cases"):
        assert county.api("chief", "GET", "/inbox",
                          query_string={"sort": sort}).status_code == 422


def test_a_page_of_rows_costs_the_same_queries_as_one_row(county):
    _chief(county)
    _start(county, "A面馆", "branch_tieying")
    engine = county.factory.kw["bind"]
    counted: list[str] = []

    def count(*_args: Any) -> None:
        counted.append("q")

    def queries() -> int:
        counted.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            response = county.api("chief", "GET", "/inbox",
                                  query_string={"tab": "group", "sort": "applicant"})
            assert response.status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(counted)

    one = queries()
    for name in ("B面馆", "C面馆", "D面馆", "E面馆"):
        _start(county, name, "branch_yangan")
    assert queries() == one


def test_the_inbox_page_shows_the_columns_by_name_and_opens_on_the_tab_with_work(county):
    with unit_of_work(county.factory) as s:
        catalog.import_catalog(s, CATALOG, actor=SYSTEM)
        s.execute(update(Office).where(Office.code == "branch_tieying")
                  .values(name_zh="铁营分局"))
        # the branch decides the market items of its cases (the catalogue says so)
        branch = s.scalar(select(Office).where(Office.code == "branch_tieying"))
        set_postings(s, users.add_user(s, "rev_ty", PASSWORD), [(branch, "reviewer", "resident")])
    case = _start(county, "铁营面馆", "branch_tieying")
    county.accept(case)
    sign_in(county.client, "rev_ty")
    page = county.client.get("/workbench")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    # nothing is assigned to the reviewer yet: the page opens on "my groups"
    assert re.search(r'id="tab-group"[^>]*aria-current="page"', text)
    assert not re.search(r'id="tab-mine"[^>]*aria-current="page"', text)
    for seen in ("铁营面馆", "营业执照", "铁营分局", "申请人", "事项", "时限状态", "正常"):
        assert seen in text, seen
    assert "branch_tieying" not in text.split('id="inbox-table"')[1]
    sorted_page = county.client.get("/workbench?tab=group&sort=item").get_data(as_text=True)
    assert 'data-testid="sort-item"' in sorted_page and 'aria-sort="ascending"' in sorted_page
    # a tab chosen explicitly is kept even when empty
    mine = county.client.get("/workbench?tab=mine").get_data(as_text=True)
    assert 'data-testid="inbox-empty"' in mine
