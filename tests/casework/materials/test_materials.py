"""One set of materials per case: each uploaded once, reused by every item, history kept."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from engine.casework import cases, materials
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.core.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from engine.models import AuditEvent, CaseMaterial
from tests.casework.materials.samples import (
    ADMIN,
    CLERK,
    EXE,
    JPEG,
    PDF,
    PNG,
    applicant,
    start_restaurant,
    zipped,
)

ZHANG = applicant()


def hand_in(db, store, case_id, code, filename, data, who=ZHANG, **kwargs):
    with unit_of_work(db) as s:
        row = materials.upload(s, store, cases.get_case(s, case_id), code, filename, data, who,
                               **kwargs)
        return row.id


def checklist(db, case_id, who=ZHANG):
    with unit_of_work(db, read_only=True) as s:
        return materials.as_dict(materials.list_materials(s, cases.get_case(s, case_id), who))


def fetch(db, store, case_id, material_id, who=ZHANG):
    with unit_of_work(db, read_only=True) as s:
        return materials.download(s, store, cases.get_case(s, case_id), material_id, who)


def test_a_material_used_by_three_items_is_handed_in_once(db, store, case_id):
    hand_in(db, store, case_id, "id_card", "身份证.pdf", PDF)
    hand_in(db, store, case_id, "layout_plan", "layout.png", PNG)
    view = checklist(db, case_id)
    by_code = {m["code"]: m for m in view["materials"]}
    assert sorted(by_code) == ["id_card", "layout_plan"]
    assert by_code["id_card"]["items"] == ["MS-001", "MS-010", "FR-001"]
    assert by_code["id_card"]["content_type"] == "application/pdf"
    assert by_code["layout_plan"]["items"] == ["MS-010"]
    assert by_code["layout_plan"]["content_type"] == "image/png"
    assert all(m["needed"] for m in view["materials"])


def test_the_missing_list_shrinks_as_materials_arrive(db, store, case_id):
    before = checklist(db, case_id)
    key = [m["code"] for m in before["missing"]["key"]]
    other = [m["code"] for m in before["missing"]["other"]]
    # the situation (180 m², no licence, no sign) asks for the fire commitment, not the sign
    assert key == ["id_card", "premises_proof", "articles", "layout_plan", "fire_commitment"]
    assert "sign_design" not in key and "fire_plan" in other
    for code in key:
        hand_in(db, store, case_id, code, f"{code}.jpg", JPEG)
    after = checklist(db, case_id)
    assert after["missing"]["key"] == [] and after["key_complete"]
    assert [m["code"] for m in after["missing"]["other"]] == other
    assert not after["complete"]


def test_a_new_upload_supersedes_the_old_and_keeps_it(db, store, case_id):
    first = hand_in(db, store, case_id, "premises_proof", "lease.pdf", PDF)
    second = hand_in(db, store, case_id, "premises_proof", "lease-signed.png", PNG)
    current = [m for m in checklist(db, case_id)["materials"] if m["code"] == "premises_proof"]
    assert [m["id"] for m in current] == [second]
    old, data = fetch(db, store, case_id, first)
    assert old.superseded and data == PDF
    with unit_of_work(db, read_only=True) as s:
        events = s.scalars(select(AuditEvent).where(
            AuditEvent.case_id == case_id, AuditEvent.action == "material.uploaded")).all()
        assert [e.detail["superseded"] for e in events] == [[], [first]]


def test_download_gives_back_the_same_bytes_from_a_content_addressed_blob(db, store, case_id):
    material_id = hand_in(db, store, case_id, "articles", "章程.pdf", PDF)
    row, data = fetch(db, store, case_id, material_id)
    digest = hashlib.sha256(PDF).hexdigest()
    assert data == PDF and row.sha256 == digest and row.size == len(PDF)
    assert (store.root / digest[:2] / digest).read_bytes() == PDF
    assert row.filename == "章程.pdf" and row.uploaded_by == "zhang_san"


@pytest.mark.parametrize(("filename", "data"), [
    pytest.param("licence.pdf", EXE, id="exe-renamed-pdf"),
    pytest.param("photo.png", PDF, id="pdf-renamed-png"),
    pytest.param("plan.docx", zipped("readme.txt"), id="plain-zip-renamed-docx"),
    pytest.param("plan.ofd", zipped("word/document.xml"), id="docx-renamed-ofd"),
    pytest.param("setup.exe", EXE, id="exe"),
    pytest.param("noextension", PDF, id="no-extension"),
])
def test_files_whose_content_does_not_match_are_refused(db, store, case_id, filename, data):
    with pytest.raises(InvalidInput) as err:
        hand_in(db, store, case_id, "id_card", filename, data)
    assert filename in err.value.message
    assert list(store.root.rglob("*")) == []


@pytest.mark.parametrize(("filename", "data"), [
    pytest.param("plan.docx", zipped("[Content_Types].xml", "word/document.xml"), id="docx"),
    pytest.param("staff.xlsx", zipped("xl/workbook.xml"), id="xlsx"),
    pytest.param("licence.ofd", zipped("OFD.xml", "Doc_0/Document.xml"), id="ofd"),
    pytest.param("photo.JPEG", JPEG, id="jpeg-upper-case"),
])
def test_office_and_image_kinds_are_accepted(db, store, case_id, filename, data):
    hand_in(db, store, case_id, "food_safety_rules", filename, data)


def test_an_oversized_file_is_too_large(db, store, case_id):
    assert materials.MAX_BYTES == 10 * 1024 * 1024
    with pytest.raises(TooLarge):
        hand_in(db, store, case_id, "id_card", "big.pdf", PDF + b"0" * 100, max_bytes=100)


def test_a_code_the_guide_does_not_list_is_refused(db, store, case_id):
    with pytest.raises(InvalidInput, match="'passport' is not a material"):
        hand_in(db, store, case_id, "passport", "passport.pdf", PDF)


def test_only_the_applicant_admins_and_clerks_who_see_the_case_hand_in(db, store, rt, case_id):
    other = applicant("li_si")
    with pytest.raises(Forbidden):
        hand_in(db, store, case_id, "id_card", "id.pdf", PDF, who=other)
    with pytest.raises(Forbidden):
        checklist(db, case_id, who=other)
    # a reviewer with no work on the case does not even see it
    with pytest.raises(Forbidden):
        hand_in(db, store, case_id, "id_card", "id.pdf", PDF,
                who=Actor("rev_fire", frozenset({"reviewer@dept_fire"})))
    hand_in(db, store, case_id, "id_card", "id.pdf", PDF, who=CLERK)
    hand_in(db, store, case_id, "fire_plan", "plan.pdf", PDF, who=ADMIN)
    assert len(checklist(db, case_id, who=CLERK)["materials"]) == 2


def test_the_applicant_user_may_hand_in_when_a_clerk_started_the_case(db, store, rt):
    started_by_clerk = start_restaurant(db, rt, who="wang_wu", by=CLERK)
    hand_in(db, store, started_by_clerk, "id_card", "id.pdf", PDF, who=applicant("wang_wu"))


def test_materials_of_another_case_are_not_found_through_this_one(db, store, rt, case_id):
    other_case = start_restaurant(db, rt, who="li_si")
    theirs = hand_in(db, store, other_case, "id_card", "id.pdf", PDF, who=applicant("li_si"))
    with pytest.raises(NotFound):
        fetch(db, store, case_id, theirs)
    with pytest.raises(Forbidden):
        fetch(db, store, other_case, theirs)


def test_an_ended_case_takes_no_materials(db, store, rt, case_id):
    with unit_of_work(db) as s:
        cases.cancel_case(rt, s, case_id, ZHANG, reason="changed my mind")
    with pytest.raises(Conflict):
        hand_in(db, store, case_id, "id_card", "id.pdf", PDF)
    with unit_of_work(db, read_only=True) as s:
        assert s.scalars(select(CaseMaterial)).all() == []
