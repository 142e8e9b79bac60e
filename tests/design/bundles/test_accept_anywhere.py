"""全城通办: a case accepted at any office routes each item to the office competent for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from engine.casework import cases, completion, permissions, work_items
from engine.core.actors import SYSTEM, Actor
from engine.core.db import unit_of_work
from engine.core.errors import Forbidden, InvalidInput
from engine.org import users
from engine.org.catalog import import_catalog
from engine.org.offices import import_offices, office_groups
from tests.design.bundles.support import BundleScenario, applicant, finish

ROOT = Path(__file__).resolve().parents[3]
RESTAURANT = {"has_licence": False, "area": 180, "menu": "hot_food", "outdoor_sign": True}
EMPLOYMENT = {"age": 23, "start_business": True, "wants_subsidy": True, "graduate": True,
              "medical_insurance": True, "job_info": True}
TIEYING = {"MS-001": "branch_tieying", "MS-010": "branch_tieying", "FR-001": "dept_fire",
           "UM-003": "branch_tieying"}


@pytest.fixture
def county(db: sessionmaker[Session]) -> sessionmaker[Session]:
    """The database with the shipped catalogue and org model."""
    with unit_of_work(db) as session:
        import_catalog(session, ROOT / "bpmn" / "catalog" / "items.yaml", actor=SYSTEM)
        import_offices(session, ROOT / "bpmn" / "offices" / "org.yaml", SYSTEM)
    return db


def staff(db: sessionmaker[Session], username: str) -> Actor:
    """A member of the shipped org model, with the groups their postings give."""
    with unit_of_work(db, read_only=True) as session:
        return Actor(username, frozenset(users.get_user(session, username).groups))


@pytest.mark.parametrize(("key", "answers", "office", "deciders"), [
    ("restaurant", RESTAURANT, "branch_tieying", TIEYING),
    # a convenience center accepts; its branch decides what a town may not
    ("restaurant", RESTAURANT, "town_huayuan", TIEYING),
    ("restaurant", RESTAURANT, "branch_yangan",
     TIEYING | {"MS-001": "branch_yangan", "MS-010": "branch_yangan",
                "UM-003": "branch_yangan"}),
    # the town decides its instant items on the spot, the subsidy goes to the county center
    ("employment", EMPLOYMENT, "town_huayuan",
     {"MS-002": "town_huayuan", "HR-010": "county_center", "MI-002": "town_huayuan",
      "HR-011": "town_huayuan"}),
], ids=["tieying-branch", "huayuan-center", "yangan-branch", "employment-huayuan"])
def test_each_item_goes_to_the_competent_office(rt, county, key, answers, office, deciders):
    sc = BundleScenario(rt, county)
    sc.deploy_bundle(key)
    cid = sc.start_case(key, answers, office=office, channel="window")
    sc.accept(cid)
    reviews = sc.reviews(cid)
    assert {code: w.candidate_names("group") for code, w in reviews.items()} == {
        code: [f"reviewer@{where}"] for code, where in deciders.items()}
    assert {code: w.input_data["item_office"] for code, w in reviews.items()} == deciders
    assert sc.case(cid).office_code == office


def test_wrong_office_cannot_see_or_claim_and_the_applicant_sees_one_case(rt, county):
    sc = BundleScenario(rt, county)
    sc.deploy_bundle("restaurant")
    cid = sc.start_case("restaurant", RESTAURANT, office="branch_tieying", channel="window")
    sc.accept(cid)
    review = sc.reviews(cid)["MS-010"]
    yangan = Actor("reviewer_yangan", frozenset(office_groups("reviewer", "branch_yangan")))
    with unit_of_work(county) as session:
        assert work_items.inbox(session, yangan)[1] == 0
        with pytest.raises(Forbidden):
            permissions.check_visible(session, cases.get_case(session, cid), yangan)
        with pytest.raises(Forbidden):
            work_items.claim(session, review.id, yangan)
    # the market reviewer resident at the Tieying branch sees its three items, not the fire one
    market, fire = staff(county, "reviewer_market"), staff(county, "reviewer_fire")
    with unit_of_work(county) as session:
        mine = {w.input_data["item_code"] for w in work_items.inbox(session, market)[0]}
        assert mine == {"MS-001", "MS-010", "UM-003"}
        assert {w.input_data["item_code"] for w in work_items.inbox(session, fire)[0]} == {
            "FR-001"}
        work_items.claim(session, review.id, market)
    for code, who in [("MS-001", market), ("MS-010", market), ("UM-003", market),
                      ("FR-001", fire)]:
        with unit_of_work(county) as session:
            completion.complete(rt, session, sc.reviews(cid)[code].id,
                                {"decision": "approve", "certificate_no": f"LL-{code}"}, who)
    data = finish(sc, cid)
    assert {r["office"] for r in data["item_results"].values()} == {"branch_tieying",
                                                                     "dept_fire"}
    with unit_of_work(county, read_only=True) as session:
        rows, total = cases.list_cases(session, actor=applicant())
        assert total == 1 and rows[0].number == sc.case(cid).number


def test_without_an_office_the_bundle_groups_apply_and_callers_cannot_route(rt, county):
    sc = BundleScenario(rt, county)
    sc.deploy_bundle("restaurant")
    forged = {"applicant": "张三", "answers": RESTAURANT,
              "routing": {"MS-001": {"group": "reviewer@branch_yangan", "office": "x"}}}
    with pytest.raises(InvalidInput, match="routing"):
        sc.start("restaurant", forged, actor=applicant(), business_key="restaurant-zhang_san")
    del forged["routing"]
    cid = sc.start("restaurant", forged, actor=applicant(), business_key="restaurant-zhang_san")
    sc.accept(cid)
    reviews = sc.reviews(cid)
    assert reviews["MS-001"].candidate_names("group") == ["reviewer@dept_market"]
    assert reviews["UM-003"].candidate_names("group") == ["reviewer@dept_urban"]
    assert reviews["MS-001"].input_data["routing"] == {}


def test_a_returned_item_is_rechecked_by_the_window_that_accepted_it(rt, county):
    sc = BundleScenario(rt, county)
    sc.deploy_bundle("restaurant")
    cid = sc.start_case("restaurant", RESTAURANT, office="town_huayuan", channel="window")
    sc.accept(cid)
    sc.decide(cid, "FR-001", {"decision": "return", "return_reason": "消防平面图与现场不符"})
    recheck = sc.item(cid, "recheck")
    assert recheck.candidate_names("group") == ["window_clerk@town_huayuan"]
    tieying = staff(county, "clerk_tieying")
    with unit_of_work(county) as session, pytest.raises(Forbidden):
        work_items.claim(session, recheck.id, tieying)
    with unit_of_work(county) as session:
        completion.complete(rt, session, recheck.id, {"checked": True},
                            staff(county, "clerk_huayuan"))
    assert sc.reviews(cid)["FR-001"].candidate_names("group") == ["reviewer@dept_fire"]
