"""创业就业: subsidy eligibility, validation and whole-chain engine drives."""

from __future__ import annotations

import pytest

from engine.design import guides
from tests.design.bundles.paths import PATHS, check_notice, check_validates, run_all
from tests.design.bundles.support import BundleScenario, Profile, files

PROFILE = Profile(
    key="employment",
    answers={"age": 23, "start_business": True, "wants_subsidy": True,
             "registered_unemployed": False, "graduate": True, "medical_insurance": True,
             "job_info": True},
    items={"MS-002", "HR-010", "MI-002", "HR-011"},
    gap_material="bank_card", gap_items={"HR-010"}, refuse="HR-010",
    applicant_name="李四（乐陵市郑店镇）")


def test_bundle_validates_and_forms_match_the_guide():
    check_validates(PROFILE)


def test_notice_lists_each_material_once():
    check_notice(PROFILE)


@pytest.mark.parametrize(("answers", "items", "extra"), [
    (PROFILE.answers, {"MS-002", "HR-010", "MI-002", "HR-011"}, {"diploma"}),
    ({"age": 45, "start_business": True, "wants_subsidy": True, "registered_unemployed": True},
     {"MS-002", "HR-010"}, {"employment_card"}),
    ({"age": 63, "start_business": True, "wants_subsidy": True, "registered_unemployed": True},
     {"MS-002"}, set()),
    ({"age": 30, "start_business": True, "wants_subsidy": True}, {"MS-002"}, set()),
    ({"age": 30, "start_business": False, "wants_subsidy": True, "graduate": True,
      "job_info": True}, {"HR-011"}, set()),
], ids=["graduate", "registered-unemployed", "over-age", "not-eligible", "job-seeker-only"])
def test_subsidy_only_for_the_eligible(answers, items, extra):
    situation = guides.evaluate(files("employment"), answers)
    assert set(situation.items) == items
    assert set(situation.extra_materials) == extra


def test_no_item_applies_ends_the_case_at_once(rt, db):
    sc = BundleScenario(rt, db)
    sc.deploy_bundle("employment")
    cid = sc.start_case("employment", {"age": 30, "start_business": False})
    assert sc.case(cid).status == "completed"
    assert sc.data(cid)["applicable_items"] == []


@pytest.mark.parametrize("path", PATHS)
def test_whole_chain(rt, db, path):
    run_all(BundleScenario(rt, db), PROFILE, path)
