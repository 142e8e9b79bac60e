"""DMN business rule tasks deployed together with their .dmn file."""

from __future__ import annotations

import pytest

from tests.runtime.features_support import MODES, FeatureScenario, make_scenario


@pytest.fixture(params=MODES)
def sc(request, rt, db, services) -> FeatureScenario:
    return make_scenario(request.param, rt, db, services)


@pytest.mark.parametrize(("inputs", "fee", "items"), [
    ({"kind": "restaurant", "area": 120}, 250, ["floor plan", "hygiene certificate"]),
    ({"kind": "restaurant", "area": 350}, 400,
     ["floor plan", "hygiene certificate", "fire safety plan"]),
    ({"kind": "shop", "area": 120}, 100, ["floor plan"]),
], ids=["small-restaurant", "large-restaurant", "other"])
def test_business_rule_task_decides_fee_and_items(sc, inputs, fee, items):
    sc.deploy_features("fee_rules.bpmn", "fee_rules.dmn", bundle="fee_rules")
    cid = sc.start("fee_rules", inputs)
    assert sc.case(cid).status == "running"
    assert sc.open_elements(cid) == ["collect_fee"]
    data = sc.data_of(cid, "collect_fee")
    assert data["fee"] == fee
    assert data["items"] == items
    assert (data["kind"], data["area"]) == (inputs["kind"], inputs["area"])
    assert sc.complete(cid, "collect_fee", {"paid": fee}).status == "completed"


def test_two_cases_of_one_deployment_decide_independently(sc):
    sc.deploy_features("fee_rules.bpmn", "fee_rules.dmn", bundle="fee_rules")
    small = sc.start("fee_rules", {"kind": "restaurant", "area": 50})
    large = sc.start("fee_rules", {"kind": "restaurant", "area": 500})
    assert sc.data_of(small, "collect_fee")["fee"] == 250
    assert sc.data_of(large, "collect_fee")["fee"] == 400
    assert sc.case(small).deployment_id == sc.case(large).deployment_id


def test_the_bundle_needs_its_decision_file(sc):
    from engine.core.errors import DiagramInvalid

    with pytest.raises(DiagramInvalid) as err:
        sc.deploy_features("fee_rules.bpmn", bundle="fee_rules")
    assert any("fee_rules" in str(p) for p in err.value.problems)
