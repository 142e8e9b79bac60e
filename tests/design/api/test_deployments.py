"""Deploying bundles over HTTP: versions by content, problems named by file and element."""

from __future__ import annotations

from tests.web.support import DATA, SIGNBOARD, assert_problem, signboard_files, upload


def test_deploy_creates_version_one_with_its_files(client, admin):
    response = upload(client, admin, *signboard_files())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["bundle"] == "signboard" and body["version"] == 1 and body["created"] is True
    assert body["files"] == ["check-form.json", "signboard.bpmn"]
    assert response.headers["Location"].endswith(f"/api/v1/deployments/{body['id']}")


def test_identical_redeploy_is_unchanged_and_a_change_makes_version_two(client, admin, tmp_path):
    first = upload(client, admin, *signboard_files()).get_json()
    again = upload(client, admin, *signboard_files())
    assert again.status_code == 200
    assert again.get_json()["id"] == first["id"] and again.get_json()["created"] is False

    changed = tmp_path / "signboard.bpmn"
    changed.write_text((SIGNBOARD / "signboard.bpmn").read_text(encoding="utf-8")
                       .replace("Issue the permit", "Issue the signboard permit"),
                       encoding="utf-8")
    second = upload(client, admin, changed, SIGNBOARD / "check-form.json")
    assert second.status_code == 201
    assert second.get_json()["version"] == 2
    assert second.get_json()["content_hash"] != first["content_hash"]


def test_bundle_key_comes_from_the_form(client, admin):
    body = upload(client, admin, *signboard_files(), bundle="signboard_permit").get_json()
    assert body["bundle"] == "signboard_permit"


def test_invalid_bpmn_is_422_naming_file_and_element(client, admin):
    response = upload(client, admin, DATA / "broken" / "broken.bpmn",
                      SIGNBOARD / "check-form.json")
    body = assert_problem(response, 422)
    assert body["title"] == "Diagram invalid"
    found = [p for p in body["problems"] if p["element"] == "to_issued"]
    assert found and found[0]["file"] == "broken.bpmn" and found[0]["line"] == 51
    assert "nowhere" in found[0]["message"]
    assert client.get("/api/v1/deployments", headers=admin).get_json()["total"] == 0


def test_upload_must_be_multipart_with_files(client, admin):
    assert_problem(client.post("/api/v1/deployments", headers=admin, json={"x": 1}), 422)
    empty = client.post("/api/v1/deployments", headers=admin, data={"bundle": "b"},
                        content_type="multipart/form-data")
    assert "no files" in assert_problem(empty, 422)["detail"]


def test_files_of_a_kind_we_do_not_read_are_refused(client, admin, tmp_path):
    script = tmp_path / "run.sh"
    script.write_text("echo hi\n", encoding="utf-8")
    body = assert_problem(upload(client, admin, SIGNBOARD / "signboard.bpmn", script), 422)
    assert "run.sh" in body["detail"]


def test_body_over_the_limit_is_413(app, client, admin):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    assert_problem(upload(client, admin, *signboard_files()), 413)


def test_list_show_and_raw_file(client, admin):
    dep = upload(client, admin, *signboard_files()).get_json()
    listing = client.get("/api/v1/deployments?bundle=signboard", headers=admin).get_json()
    assert [d["id"] for d in listing["items"]] == [dep["id"]] and listing["total"] == 1
    assert client.get("/api/v1/deployments?bundle=other", headers=admin).get_json()["total"] == 0

    shown = client.get(f"/api/v1/deployments/{dep['id']}", headers=admin).get_json()
    names = {f["name"]: f for f in shown["files"]}
    assert set(names) == {"check-form.json", "signboard.bpmn"}

    raw = client.get(names["signboard.bpmn"]["url"], headers=admin)
    assert raw.status_code == 200 and raw.mimetype == "application/xml"
    assert raw.data == (SIGNBOARD / "signboard.bpmn").read_bytes()
    assert "sandbox" in raw.headers["Content-Security-Policy"]
    assert raw.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_deployment_and_file_are_404(client, admin):
    dep = upload(client, admin, *signboard_files()).get_json()
    assert_problem(client.get("/api/v1/deployments/999", headers=admin), 404)
    missing = client.get(f"/api/v1/deployments/{dep['id']}/files/nope.bpmn", headers=admin)
    assert "nope.bpmn" in assert_problem(missing, 404)["detail"]


def test_only_designers_and_admins_deploy(client, make_user):
    assert_problem(upload(client, make_user("clerk", "window_clerk"), *signboard_files()), 403)
    response = upload(client, make_user("ann", "designer"), *signboard_files())
    assert response.status_code == 201
    assert response.get_json()["created_by"] == "ann"


def test_deploy_reports_what_will_fail_when_it_runs(client, admin, tmp_path):
    """An expression the sandbox will refuse deploys (the case is contained when it runs),
    and the reply names it with file, line and element, as `onething validate` prints it."""
    diagram = tmp_path / "importer.bpmn"
    diagram.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"
    targetNamespace="t">
  <bpmn:process id="importer" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="grab" scriptFormat="python"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing><bpmn:script>import os</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="e"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="grab"/>
    <bpmn:sequenceFlow id="f2" sourceRef="grab" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>""", encoding="utf-8")
    response = upload(client, admin, diagram)
    assert response.status_code == 201, response.get_json()
    [warning] = response.get_json()["warnings"]
    assert (warning["file"], warning["element"]) == ("importer.bpmn", "grab")
    assert "refused by the sandbox" in warning["message"] and warning["line"]
    again = upload(client, admin, diagram)
    assert again.status_code == 200 and again.get_json()["warnings"] == [warning]
