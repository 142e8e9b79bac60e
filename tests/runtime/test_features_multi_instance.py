"""Multi-instance user tasks over a list: one work item per element, outputs collected."""

from __future__ import annotations

import pytest

from tests.runtime.features_support import MODES, FeatureScenario, make_scenario

DEPARTMENTS = ["fire", "health", "planning"]


@pytest.fixture(params=MODES)
def sc(request, rt, db, services) -> FeatureScenario:
    return make_scenario(request.param, rt, db, services)


def _open_by_department(sc: FeatureScenario, cid: int) -> dict[str, str]:
    return {w.input_data["department"]: w.id for w in sc.open_items(cid)}


def test_parallel_multi_instance_opens_one_item_per_element(sc):
    sc.deploy_features("mi_parallel.bpmn")
    cid = sc.start("mi_parallel", {"departments": DEPARTMENTS})
    items = sc.open_items(cid)
    assert len(items) == 3
    assert {w.title for w in items} == {"Countersign"}
    assert {w.element_id.split(" ")[0] for w in items} == {"countersign"}
    by_dept = _open_by_department(sc, cid)
    assert sorted(by_dept) == DEPARTMENTS

    # answer out of order; the join waits for all three
    answers = {"health": "ok", "planning": "no", "fire": "ok"}
    remaining = list(DEPARTMENTS)
    for dept in ["health", "planning", "fire"]:
        assert sc.complete_item(by_dept[dept], {"opinion": answers[dept]}) == "running"
        remaining.remove(dept)
        if remaining:
            assert sorted(_open_by_department(sc, cid)) == remaining
            assert sc.show(cid)["status"] == "running"

    assert sc.open_elements(cid) == ["decide"]
    data = sc.data_of(cid, "decide")
    # a list input gives the outputs in completion order (see SPIFFWORKFLOW.md, section 3)
    assert data["opinions"] == ["ok", "no", "ok"]
    assert data["approvals"] == 2
    assert sc.complete(cid, "decide").status == "completed"


def test_sequential_multi_instance_opens_one_item_at_a_time(sc):
    sc.deploy_features("mi_sequential.bpmn")
    cid = sc.start("mi_sequential", {"departments": DEPARTMENTS})
    seen = []
    for dept, opinion in zip(DEPARTMENTS, ["ok", "ok", "no"], strict=True):
        items = sc.open_items(cid)
        assert len(items) == 1, [w.input_data.get("department") for w in items]
        assert items[0].input_data["department"] == dept
        seen.append(dept)
        sc.complete_item(items[0].id, {"opinion": opinion})

    assert seen == DEPARTMENTS
    assert sc.open_elements(cid) == ["decide"]
    data = sc.data_of(cid, "decide")
    assert data["opinions"] == ["ok", "ok", "no"]
    assert data["approvals"] == 2
    assert sc.complete(cid, "decide").status == "completed"
    assert len(sc.items_of(cid, "completed")) == 4


def test_multi_instance_items_keep_their_element_id_and_form(sc):
    from engine.core.errors import InvalidInput

    sc.deploy_features("mi_form.bpmn", "opinion-form.json", bundle="mi_form")
    cid = sc.start("mi_form", {"departments": ["fire", "health"]})
    items = sc.open_items(cid)
    assert len(items) == 2
    assert {w.form_schema for w in items} == {"opinion-form.json"}
    with pytest.raises(InvalidInput):
        sc.complete_item(items[0].id, {"opinion": "maybe"})
    assert [w.element_id for w in items] == ["countersign", "countersign"]
