"""开办餐饮店: situational guide, validation and whole-chain engine drives."""

from __future__ import annotations

import pytest

from engine.design import guides
from tests.design.bundles.paths import PATHS, check_notice, check_validates, run_all
from tests.design.bundles.support import BundleScenario, Profile, files

PROFILE = Profile(
    key="restaurant",
    answers={"has_licence": False, "area": 180, "menu": "hot_food", "outdoor_sign": True},
    items={"MS-001", "MS-010", "FR-001", "UM-003"},
    gap_material="health_certificates", gap_items={"MS-010"}, refuse="UM-003",
    applicant_name="乐陵市铁营镇张三家常菜馆")


def test_bundle_validates_and_forms_match_the_guide():
    check_validates(PROFILE)


def test_notice_lists_each_material_once():
    check_notice(PROFILE)


@pytest.mark.parametrize(("answers", "items", "fire_mode", "extra"), [
    ({"has_licence": False, "area": 180, "menu": "hot_food", "outdoor_sign": True},
     {"MS-001", "MS-010", "FR-001", "UM-003"}, "commitment", {"fire_commitment"}),
    ({"has_licence": True, "area": 120, "menu": "drinks", "outdoor_sign": False},
     {"MS-010", "FR-001"}, "commitment", {"fire_commitment"}),
    ({"has_licence": True, "area": 450, "menu": "cold_food", "outdoor_sign": True},
     {"MS-010", "FR-001", "UM-003"}, "inspection", {"fire_acceptance", "special_room_layout"}),
], ids=["new-small", "licensed-drinks", "large-cold-food"])
def test_answers_decide_items_and_fire_check_mode(answers, items, fire_mode, extra):
    situation = guides.evaluate(files("restaurant"), answers)
    assert set(situation.items) == items
    assert situation.modes == {"FR-001": fire_mode}
    assert set(situation.extra_materials) == extra
    ids = {m.id for m in situation.materials}
    assert extra <= ids
    other = {"fire_commitment", "fire_acceptance"} - extra
    assert not other & ids  # the other fire material is not asked for


def test_fire_mode_reaches_the_department(rt, db):
    sc = BundleScenario(rt, db)
    sc.deploy_bundle("restaurant")
    cid = sc.start_case("restaurant", {"has_licence": True, "area": 299})
    sc.accept(cid)
    review = sc.reviews(cid)["FR-001"]
    assert review.input_data["item_mode"] == "commitment"
    assert review.candidate_names("group") == ["reviewer@dept_fire"]


@pytest.mark.parametrize("path", PATHS)
def test_whole_chain(rt, db, path):
    run_all(BundleScenario(rt, db), PROFILE, path)
