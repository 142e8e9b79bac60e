"""The materials API: multipart upload, the checklist, the bytes back; errors as problems."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest

from tests.casework.materials.conftest import MATERIAL_LIMIT
from tests.casework.materials.samples import EXE, PDF, PNG
from tests.web.support import assert_problem


def post(client, headers, case_id, code, filename, data, **extra):
    form = {"code": code, "file": (io.BytesIO(data), filename), **extra}
    return client.post(f"/api/v1/cases/{case_id}/materials", headers=headers, data=form,
                       content_type="multipart/form-data")


@pytest.fixture
def zhang(make_user):
    return make_user("zhang_san", "applicant")


def test_upload_list_and_download(client, zhang, case_id):
    response = post(client, zhang, case_id, "id_card", "身份证 正反面.pdf", PDF)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json()
    assert created["code"] == "id_card" and created["size"] == len(PDF)
    assert response.headers["Location"].endswith(f"/materials/{created['id']}")
    assert post(client, zhang, case_id, "layout_plan", "plan.png", PNG).status_code == 201

    view = client.get(f"/api/v1/cases/{case_id}/materials", headers=zhang).get_json()
    assert [(m["code"], m["items"]) for m in view["materials"]] == [
        ("id_card", ["MS-001", "MS-010", "FR-001"]), ("layout_plan", ["MS-010"])]
    assert "id_card" not in [m["code"] for m in view["missing"]["key"]]

    raw = client.get(f"/api/v1/cases/{case_id}/materials/{created['id']}", headers=zhang)
    assert raw.status_code == 200 and raw.data == PDF
    assert raw.mimetype == "application/pdf"
    assert raw.headers["X-Content-Type-Options"] == "nosniff"
    disposition = raw.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert quote("身份证 正反面.pdf") in disposition


def test_a_renamed_executable_is_refused_naming_the_file(client, zhang, case_id):
    body = assert_problem(post(client, zhang, case_id, "id_card", "licence.pdf", EXE), 422)
    assert "licence.pdf" in body["detail"]


def test_an_oversized_file_is_413(client, zhang, case_id):
    data = PDF + b"0" * MATERIAL_LIMIT
    assert_problem(post(client, zhang, case_id, "id_card", "big.pdf", data), 413)


def test_an_unknown_code_or_a_missing_field_is_422(client, zhang, case_id):
    body = assert_problem(post(client, zhang, case_id, "passport", "p.pdf", PDF), 422)
    assert body["fields"] == [{"path": "code", "message": "is not a material of this bundle"}]
    missing_code = client.post(f"/api/v1/cases/{case_id}/materials", headers=zhang,
                               data={"file": (io.BytesIO(PDF), "p.pdf")},
                               content_type="multipart/form-data")
    assert assert_problem(missing_code, 422)["fields"][0]["path"] == "code"
    no_file = client.post(f"/api/v1/cases/{case_id}/materials", headers=zhang,
                          data={"code": "id_card"}, content_type="multipart/form-data")
    assert_problem(no_file, 422)
    as_json = client.post(f"/api/v1/cases/{case_id}/materials", headers=zhang,
                          json={"code": "id_card"})
    assert_problem(as_json, 422)


def test_another_applicant_neither_uploads_nor_reads(client, make_user, zhang, case_id):
    uploaded = post(client, zhang, case_id, "id_card", "id.pdf", PDF).get_json()
    li = make_user("li_si", "applicant")
    assert_problem(post(client, li, case_id, "id_card", "id.pdf", PDF), 403)
    assert_problem(client.get(f"/api/v1/cases/{case_id}/materials", headers=li), 403)
    assert_problem(client.get(f"/api/v1/cases/{case_id}/materials/{uploaded['id']}",
                              headers=li), 403)


def test_a_window_clerk_hands_in_and_a_reviewer_without_work_may_not(client, make_user,
                                                                     case_id):
    clerk = make_user("clerk_tieying", "window_clerk")
    assert post(client, clerk, case_id, "fire_plan", "plan.pdf", PDF).status_code == 201
    reviewer = make_user("rev_fire", "reviewer@dept_fire")
    assert_problem(post(client, reviewer, case_id, "fire_plan", "plan.pdf", PDF), 403)


def test_unknown_cases_and_materials_are_404(client, zhang, case_id):
    assert_problem(client.get("/api/v1/cases/999999/materials", headers=zhang), 404)
    assert_problem(client.get(f"/api/v1/cases/{case_id}/materials/424242", headers=zhang), 404)
    too_big = f"/api/v1/cases/{case_id}/materials/{2**64}"
    assert_problem(client.get(too_big, headers=zhang), 404)
