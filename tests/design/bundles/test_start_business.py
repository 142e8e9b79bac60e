"""企业开办: situational guide, the park agent, validation and whole-chain engine drives."""

from __future__ import annotations

import pytest

from engine.design import guides
from tests.design.bundles.paths import PATHS, check_notice, check_validates, run_all
from tests.design.bundles.support import (
    AGENT,
    BundleScenario,
    Profile,
    files,
    finish,
    promise_date,
    statuses,
)

ALL = {"MS-001", "PS-001", "TX-001", "HR-001", "MI-001", "BK-001"}
PROFILE = Profile(
    key="start-business",
    answers={"company_type": "llc", "need_seal": True, "need_invoice": True,
             "has_employees": True, "need_bank_account": True, "in_park": False,
             "wants_agent": False},
    items=ALL, gap_material="tax_officer_info", gap_items={"TX-001"}, refuse="PS-001",
    applicant_name="乐陵市鲁北新材料有限公司")


def test_bundle_validates_and_forms_match_the_guide():
    check_validates(PROFILE)


def test_notice_lists_each_material_once():
    check_notice(PROFILE)


@pytest.mark.parametrize(("answers", "items", "services"), [
    (PROFILE.answers, ALL, ()),
    ({"company_type": "sole", "need_seal": False, "need_invoice": True, "has_employees": False,
      "need_bank_account": False}, {"MS-001", "TX-001"}, ()),
    ({"company_type": "partnership", "has_employees": False, "in_park": True,
      "wants_agent": True}, {"MS-001", "PS-001", "TX-001", "BK-001"}, ("agent",)),
], ids=["full", "sole-no-staff", "park-partnership"])
def test_answers_decide_items_and_agent(answers, items, services):
    situation = guides.evaluate(files("start-business"), answers)
    assert set(situation.items) == items
    assert situation.services == services
    ids = {m.id for m in situation.materials}
    assert ("agent_authorisation" in ids) == bool(services)
    assert ("partnership_agreement" in ids) == (answers.get("company_type") == "partnership")
    assert ("employee_list" in ids) == bool(answers.get("has_employees"))


def test_park_enterprise_gets_a_whole_process_agent(rt, db):
    sc = BundleScenario(rt, db)
    sc.deploy_bundle("start-business")
    cid = sc.start_case("start-business", {"in_park": True, "wants_agent": True,
                                           "has_employees": False})
    item = sc.item(cid, "agent_intake")
    assert item.candidate_names("group") == ["agent"]
    sc.complete(cid, "agent_intake", {"agent_name": "王代办", "authorisation_scope":
                                      ["apply", "supplement", "collect"],
                                      "authorisation_valid_until": promise_date(90)}, actor=AGENT)
    sc.accept(cid)
    assert set(sc.reviews(cid)) == {"MS-001", "PS-001", "TX-001", "BK-001"}
    sc.approve_all(cid)
    data = finish(sc, cid)
    assert set(statuses(data).values()) == {"approved"}
    assert data["agent_name"] == "王代办"
    assert "task.completed" in [e["action"] for e in sc.trail(cid)]


def test_without_the_park_there_is_no_agent_step(rt, db):
    sc = BundleScenario(rt, db)
    sc.deploy_bundle("start-business")
    cid = sc.start_case("start-business", {"in_park": False, "wants_agent": True})
    assert sc.open_elements(cid) == ["accept"]


@pytest.mark.parametrize("path", PATHS)
def test_whole_chain(rt, db, path):
    run_all(BundleScenario(rt, db), PROFILE, path)
