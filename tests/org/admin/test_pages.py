"""The admin pages with a browser session: users, offices, catalogue, audit, dashboard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.core.actors import SYSTEM
from engine.core.db import unit_of_work
from engine.org import catalog, offices, users
from tests.ui.conftest import PASSWORD, csrf_of, sign_in
from tests.web.support import signboard_files, upload
from web.context import onething

ROOT = Path(__file__).resolve().parents[3]


def person(app, username, *groups, admin=False):
    with unit_of_work(onething(app).factory) as session:
        users.add_user(session, username, PASSWORD, groups=list(groups), admin=admin)


@pytest.fixture
def org(app):
    with unit_of_work(onething(app).factory) as session:
        catalog.import_catalog(session, ROOT / "bpmn" / "catalog" / "items.yaml", actor=SYSTEM)
        offices.import_offices(session, ROOT / "bpmn" / "offices" / "org.yaml", SYSTEM)


@pytest.fixture
def boss(app, client, org):
    person(app, "boss", admin=True)
    sign_in(client, "boss")
    return client


def test_admin_creates_a_user_who_then_cannot_log_in_once_deactivated(app, boss):
    token = csrf_of(boss, "/admin/users")
    made = boss.post("/admin/users", data={"csrf_token": token, "username": "wang",
                                           "password": "long-enough", "groups": "reviewer"},
                     follow_redirects=True)
    assert made.status_code == 200 and 'data-testid="user-groups">审批人员<' in \
        made.get_data(as_text=True)
    roles = boss.post("/admin/users/wang/roles", data={
        "csrf_token": token, "roles": "branch_tieying window_clerk"}, follow_redirects=True)
    # the office role reads as "office role", by name
    assert "乐陵市行政审批服务局铁营分局（铁营政务服务分中心） 窗口人员" in \
        roles.get_data(as_text=True)
    short = boss.post("/admin/users/wang/password", data={"csrf_token": token,
                                                          "password": "x"},
                      follow_redirects=True)
    assert "needs at least 10 characters" in short.get_data(as_text=True)
    weak = boss.post("/admin/users/wang/password", follow_redirects=True,
                     data={"csrf_token": token, "password": "abcdefghijkl"})
    assert "must mix at least two kinds of characters" in weak.get_data(as_text=True)
    boss.post("/admin/users/wang/deactivate", data={"csrf_token": token})
    other = app.test_client()
    refused = other.post("/login", data={"username": "wang", "password": "long-enough",
                                         "csrf_token": csrf_of(other)})
    assert refused.status_code == 401
    staff = boss.get("/admin/offices/branch_tieying").get_data(as_text=True)
    assert "wang" in staff


def test_catalogue_search_and_item(boss):
    found = boss.get("/admin/catalog?q=MS-010").get_data(as_text=True)
    assert "/admin/catalog/MS-010" in found
    item = boss.get("/admin/catalog/MS-010")
    assert item.status_code == 200
    assert boss.get("/admin/catalog/NOPE").status_code == 404


def test_audit_page_filters(client, admin, boss):
    upload(client, admin, *signboard_files())
    page = boss.get("/admin/audit?action=deployment").get_data(as_text=True)
    assert "deployment.created" in page
    assert boss.get("/admin/audit?since=not-a-date").status_code == 422


def test_dashboard_page_and_csv(boss):
    page = boss.get("/admin/dashboard")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="totals"' in html
    assert "/vendor/chart.js/dist/chart.umd.min.js" in html
    assert 'data-testid="csv-overdue"' in html and 'data-testid="table-commitment"' in html
    csv = boss.get("/admin/dashboard/throughput.csv?month=2026-06")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True).lstrip("\ufeff").startswith("office,bundle,opened")
    assert boss.get("/admin/dashboard?month=13").status_code == 422


def test_leaders_read_and_others_are_refused(app, client, org):
    person(app, "lin", "leader")
    sign_in(client, "lin")
    assert client.get("/admin/users").status_code == 200
    assert 'data-testid="new-user"' not in client.get("/admin/users").get_data(as_text=True)
    assert client.get("/admin/dashboard").status_code == 200
    token = csrf_of(client, "/admin/users")
    assert client.post("/admin/users", data={"csrf_token": token, "username": "x",
                                             "password": "long-enough"}).status_code == 403
    other = app.test_client()
    person(app, "clara", "window_clerk")
    sign_in(other, "clara")
    for path in ("/admin", "/admin/users", "/admin/audit", "/admin/dashboard"):
        assert other.get(path).status_code == 403, path


def test_the_users_are_filtered_by_a_group_chosen_by_its_name(app, boss):
    person(app, "li_fire", "reviewer@dept_fire")
    person(app, "zhao", "applicant")
    page = boss.get("/admin/users").get_data(as_text=True)
    picker = re.search(r'<select id="group".*?</select>', page, re.S)
    assert picker, "the group filter is not a list"
    choices = picker.group(0)
    assert '<option value="reviewer@dept_fire">乐陵市消防救援大队 审批人员</option>' in choices
    assert '<option value="">全部岗位组</option>' in choices
    shown = boss.get("/admin/users", query_string={"group": "reviewer@dept_fire"})
    text = shown.get_data(as_text=True)
    assert "li_fire" in text and "zhao" not in text
    assert 'value="reviewer@dept_fire" selected' in text
