"""The studio API: versions with running cases, saving edited diagrams, uploads, diffs, heat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engine.core import clock
from tests.web.support import SIGNBOARD, assert_problem, signboard_files, upload

XML = (SIGNBOARD / "signboard.bpmn").read_text(encoding="utf-8")
CHECK = {"materials_complete": True, "width_m": 3}


@pytest.fixture
def designer(make_user):
    return make_user("dora", "designer")


@pytest.fixture
def first(client, admin):
    response = upload(client, admin, *signboard_files())
    assert response.status_code == 201
    return response.get_json()


@pytest.fixture
def frozen():
    clock.freeze(datetime(2026, 6, 1, 1, 0, tzinfo=UTC))
    yield
    clock.reset()


def start(client, headers):
    response = client.post("/api/v1/cases", headers=headers,
                           json={"process": "signboard", "data": {"applicant": "shop"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def check_task(case):
    return next(w["id"] for w in case["work_items"] if w["element"] == "check")


def save(client, headers, dep_id, xml, **extra):
    return client.post(f"/api/v1/studio/versions/{dep_id}/diagram", headers=headers,
                       json={"xml": xml, **extra})


def test_versions_list_their_running_cases(client, admin, designer, first):
    start(client, admin)
    start(client, admin)
    second = save(client, designer, first["id"], XML.replace("Issue the permit", "Issue it"))
    assert second.status_code == 201
    body = client.get("/api/v1/studio/bundles", headers=designer).get_json()
    [bundle] = body["items"]
    assert bundle["bundle"] == "signboard" and bundle["latest"] == 2 and bundle["running"] == 2
    assert [(v["version"], v["running"], v["cases"]) for v in bundle["versions"]] == \
        [(2, 0, 0), (1, 2, 2)]
    assert bundle["versions"][1]["diagram"] == "signboard.bpmn"
    one = client.get(f"/api/v1/studio/versions/{first['id']}", headers=designer).get_json()
    assert one["running"] == 2 and one["files"] == ["check-form.json", "signboard.bpmn"]


def test_saving_an_edited_diagram_deploys_the_next_version(client, designer, first):
    response = save(client, designer, first["id"],
                    XML.replace("Check the signboard application", "Check the application"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["version"] == 2 and body["created"] is True and body["bundle"] == "signboard"
    # the form file came along from version 1
    assert body["files"] == ["check-form.json", "signboard.bpmn"]
    raw = client.get(f"/api/v1/deployments/{body['id']}/files/signboard.bpmn",
                     headers=designer)
    assert b"Check the application" in raw.data


def test_identical_save_creates_nothing(client, designer, first):
    response = save(client, designer, first["id"], XML, file="signboard.bpmn")
    assert response.status_code == 200
    assert response.get_json()["id"] == first["id"] and response.get_json()["created"] is False
    listing = client.get("/api/v1/studio/bundles", headers=designer).get_json()
    assert len(listing["items"][0]["versions"]) == 1


def test_invalid_save_answers_the_problems_with_element_ids(client, designer, first):
    broken = XML.replace('targetRef="issued"', 'targetRef="nowhere"')
    body = assert_problem(save(client, designer, first["id"], broken), 422)
    assert body["title"] == "Diagram invalid"
    assert any(p["element"] == "to_issued" and p["file"] == "signboard.bpmn"
               for p in body["problems"]), body["problems"]
    listing = client.get("/api/v1/studio/bundles", headers=designer).get_json()
    assert [v["version"] for v in listing["items"][0]["versions"]] == [1]


def test_save_refuses_bad_input(client, designer, first):
    assert_problem(save(client, designer, first["id"], XML, file="missing.bpmn"), 404)
    assert_problem(save(client, designer, first["id"], XML, file="check-form.json"), 422)
    assert_problem(save(client, designer, 999, XML), 404)
    assert_problem(client.post(f"/api/v1/studio/versions/{first['id']}/diagram",
                               headers=designer, json={"file": "signboard.bpmn"}), 422)
    assert_problem(save(client, designer, first["id"], "<not xml"), 422)


def test_upload_adds_a_file_and_deploys(client, designer, first, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Signboards\n", encoding="utf-8")
    with notes.open("rb") as handle:
        response = client.post("/api/v1/studio/bundles/signboard/files", headers=designer,
                               data={"files": [(handle, "notes.md")]},
                               content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["files"] == ["check-form.json", "notes.md", "signboard.bpmn"]
    with notes.open("rb") as handle:
        missing = client.post("/api/v1/studio/bundles/nothing/files", headers=designer,
                              data={"files": [(handle, "notes.md")]},
                              content_type="multipart/form-data")
    assert_problem(missing, 404)


def test_diff_names_the_changed_task(client, designer, first):
    edited = XML.replace("Issue the permit", "Issue the signboard permit")
    edited = edited.replace('<bpmn:endEvent id="returned">',
                            '<bpmn:endEvent id="returned" name="Returned">')
    second = save(client, designer, first["id"], edited).get_json()
    body = client.get(f"/api/v1/studio/diff?from={first['id']}&to={second['id']}",
                      headers=designer).get_json()
    assert body["files"]["changed"] == ["signboard.bpmn"]
    assert body["files"]["unchanged"] == ["check-form.json"]
    elements = body["diagrams"]["signboard.bpmn"]
    changed = {c["id"]: c for c in elements["changed"]}
    assert set(changed) == {"issue", "returned"}
    assert changed["issue"]["name"] == "Issue the signboard permit"
    assert changed["issue"]["before"]["name"] == "Issue the permit"
    assert changed["issue"]["what"] == ["name"] and changed["issue"]["type"] == "userTask"
    assert elements["added"] == [] and elements["removed"] == []


def test_diff_lists_added_and_removed_elements(client, designer, first):
    edited = XML.replace('<bpmn:endEvent id="returned">', '<bpmn:endEvent id="sent_back">') \
        .replace('targetRef="returned"', 'targetRef="sent_back"') \
        .replace("<bpmn:flowNodeRef>returned</bpmn:flowNodeRef>",
                 "<bpmn:flowNodeRef>sent_back</bpmn:flowNodeRef>")
    second = save(client, designer, first["id"], edited)
    assert second.status_code == 201, second.get_json()
    body = client.get(f"/api/v1/studio/diff?from={first['id']}&to={second.get_json()['id']}",
                      headers=designer).get_json()["diagrams"]["signboard.bpmn"]
    assert [e["id"] for e in body["added"]] == ["sent_back"]
    assert [e["id"] for e in body["removed"]] == ["returned"]
    assert {c["id"] for c in body["changed"]} == {"to_returned", "Lane_window"}


def test_diff_needs_both_versions(client, designer, first):
    assert_problem(client.get(f"/api/v1/studio/diff?from={first['id']}", headers=designer), 422)
    assert_problem(client.get(f"/api/v1/studio/diff?from={first['id']}&to=77",
                              headers=designer), 404)


def test_heat_counts_cases_and_time_at_each_element(client, admin, designer, first, frozen):
    waiting = start(client, admin)
    moving = start(client, admin)
    clock.advance(timedelta(hours=2))
    done = client.post(f"/api/v1/tasks/{check_task(moving)}/complete", headers=admin,
                       json={"data": CHECK})
    assert done.status_code == 200, done.get_json()
    assert waiting["status"] == "running"
    body = client.get(f"/api/v1/studio/versions/{first['id']}/heat", headers=designer).get_json()
    assert body["running"] == 2
    heat = {e["element"]: e for e in body["elements"]}
    assert heat["check"]["cases"] == 1 and heat["check"]["completed"] == 1
    assert heat["check"]["average_seconds"] == 7200.0
    assert heat["check"]["name"] == "Check the signboard application"
    assert heat["issue"]["cases"] == 1 and heat["issue"]["average_seconds"] is None
    assert heat["issue"]["type"] == "userTask"
    assert "fee" not in heat and "start" not in heat


def test_non_designers_are_refused(client, make_user, first):
    clerk = make_user("clara", "window_clerk")
    assert_problem(client.get("/api/v1/studio/bundles", headers=clerk), 403)
    assert_problem(save(client, clerk, first["id"], XML), 403)
    assert_problem(client.get(f"/api/v1/studio/versions/{first['id']}/heat", headers=clerk),
                   403)
