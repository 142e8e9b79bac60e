"""The studio pages with a signed-in designer: list, viewer, modeler, heat, diff, upload."""

from __future__ import annotations

import io

import pytest

from engine.core.db import unit_of_work
from engine.org import users
from tests.ui.conftest import PASSWORD, csrf_of, sign_in
from tests.web.support import SIGNBOARD, signboard_files, upload
from web.context import onething

XML = (SIGNBOARD / "signboard.bpmn").read_text(encoding="utf-8")


@pytest.fixture
def version(client, admin):
    body = upload(client, admin, *signboard_files()).get_json()
    client.post("/api/v1/cases", headers=admin, json={"process": "signboard", "data": {}})
    return body


def person(app, username, *groups):
    with unit_of_work(onething(app).factory) as session:
        users.add_user(session, username, PASSWORD, groups=list(groups))


@pytest.fixture
def designer(app, client):
    person(app, "dora", "designer")
    sign_in(client, "dora")
    return client


def test_studio_lists_versions_with_running_cases(designer, version):
    page = designer.get("/studio")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-testid="bundle-signboard"' in html
    assert 'data-testid="running-signboard-1">1<' in html
    assert f"/studio/versions/{version['id']}/edit" in html


def test_viewer_modeler_and_heat_pages(designer, version):
    viewer = designer.get(f"/studio/versions/{version['id']}").get_data(as_text=True)
    assert f"/api/v1/deployments/{version['id']}/files/signboard.bpmn" in viewer
    assert "bpmn-navigated-viewer" in viewer
    editor = designer.get(f"/studio/versions/{version['id']}/edit").get_data(as_text=True)
    assert 'id="save-diagram"' in editor and "bpmn-modeler.production.min.js" in editor
    assert f'data-save-url="/api/v1/studio/versions/{version["id"]}/diagram"' in editor
    heat = designer.get(f"/studio/versions/{version['id']}/heat").get_data(as_text=True)
    assert 'data-element="check"' in heat
    not_bpmn = designer.get(f"/studio/versions/{version['id']}/edit?file=check-form.json")
    assert not_bpmn.status_code == 422
    assert designer.get("/studio/versions/999").status_code == 404


def test_the_modeler_saves_through_the_api_with_the_session(designer, version):
    token = csrf_of(designer, f"/studio/versions/{version['id']}/edit")
    url = f"/api/v1/studio/versions/{version['id']}/diagram"
    edited = {"xml": XML.replace("Issue the permit", "Issue the signboard")}
    assert designer.post(url, json=edited).status_code == 400
    saved = designer.post(url, json=edited, headers={"X-CSRF-Token": token})
    assert saved.status_code == 201 and saved.get_json()["version"] == 2
    diff = designer.get(f"/studio/diff?from={version['id']}&to={saved.get_json()['id']}")
    html = diff.get_data(as_text=True)
    assert diff.status_code == 200 and "Issue the signboard" in html and "issue" in html
    assert designer.get("/studio/diff?from=x").status_code == 422


def test_upload_form_deploys_and_reports_problems(designer, version):
    token = csrf_of(designer, "/studio")
    added = designer.post("/studio/bundles/signboard/upload", data={
        "csrf_token": token, "files": [(io.BytesIO(b"# notes\n"), "notes.md")]},
        content_type="multipart/form-data", follow_redirects=True)
    assert added.status_code == 200 and "v2" in added.get_data(as_text=True)
    broken = XML.replace('targetRef="issued"', 'targetRef="nowhere"').encode()
    refused = designer.post("/studio/bundles/signboard/upload", data={
        "csrf_token": token, "files": [(io.BytesIO(broken), "signboard.bpmn")]},
        content_type="multipart/form-data", follow_redirects=True)
    html = refused.get_data(as_text=True)
    assert "to_issued" in html and "v3" not in html


def test_studio_is_for_designers(app, client, version):
    assert client.get("/studio").status_code == 302
    person(app, "clara", "window_clerk")
    sign_in(client, "clara")
    assert client.get("/studio").status_code == 403
    assert client.get(f"/studio/versions/{version['id']}/edit").status_code == 403
