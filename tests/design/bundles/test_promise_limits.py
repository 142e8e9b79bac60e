"""容缺受理: the promised date may not pass the committed limit of the items it concerns."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from engine.core import clock
from engine.core.errors import InvalidInput
from engine.workdays import add_working_days
from tests.design.bundles.support import CLERK, BundleScenario, applicant, promise_date
from tests.web.support import assert_problem

SMALL = {"has_licence": False, "area": 180, "menu": "hot_food", "outdoor_sign": False}
BUNDLE = Path(__file__).resolve().parents[3] / "bpmn" / "bundles" / "restaurant"


def limit(days: int) -> date:
    """The last day of DAYS working days counted from now (acceptance)."""
    return add_working_days(clock.now(), days).due.date()


def gaps(sc: BundleScenario, cid: int, materials: list[str], deadline: str):
    return sc.complete(cid, "accept", {"outcome": "accept_with_gaps",
                                       "promised_materials": materials,
                                       "promise_deadline": deadline}, actor=CLERK)


@pytest.fixture
def waiting(rt, db) -> tuple[BundleScenario, int]:
    sc = BundleScenario(rt, db)
    sc.deploy_bundle("restaurant")
    return sc, sc.start_case("restaurant", SMALL)


@pytest.mark.parametrize(("materials", "deadline", "field", "words"), [
    # health certificates concern the food-business permit: 3 working days
    (["health_certificates"], lambda: limit(3) + timedelta(days=1), "promise_deadline",
     "food"),
    # with the fire plan too, the earlier of the two limits counts
    (["fire_plan", "health_certificates"], lambda: limit(3) + timedelta(days=1),
     "promise_deadline", "3 working days"),
    (["fire_plan"], lambda: limit(5) + timedelta(days=1), "promise_deadline", "5 working days"),
    (["health_certificates"], lambda: clock.now().date() - timedelta(days=2),
     "promise_deadline", "before today"),
    # no outdoor sign: nothing needs the owner's consent
    (["owner_consent"], lambda: limit(1), "promised_materials/0", "owner_consent"),
], ids=["past-food-limit", "earliest-limit", "past-fire-limit", "in-the-past", "not-needed"])
def test_a_promise_the_items_cannot_wait_for_is_refused(waiting, materials, deadline, field,
                                                        words):
    sc, cid = waiting
    before = sc.case(cid).version
    with pytest.raises(InvalidInput) as refused:
        gaps(sc, cid, materials, deadline().isoformat())
    assert [f.path for f in refused.value.fields] == [field]
    message = refused.value.fields[0].message
    assert words in message.replace("Food-business", "food").replace("食品经营许可", "food")
    assert sc.open_elements(cid) == ["accept"] and sc.case(cid).version == before


def test_a_promise_on_the_last_day_of_the_limit_is_taken(waiting):
    sc, cid = waiting
    last = limit(3).isoformat()
    gaps(sc, cid, ["health_certificates"], last)
    supply = sc.item(cid, "supply_promised")
    assert supply.candidate_names("user") == ["zhang_san"]
    assert supply.due_at is not None and supply.due_at.date().isoformat() == last
    sc.complete(cid, "supply_promised", {"supplied_materials": ["health_certificates"]},
                actor=applicant())
    assert set(sc.reviews(cid)) == {"MS-001", "MS-010", "FR-001"}


def test_the_api_answers_422_naming_the_field(client, make_user):
    clerk = make_user("clerk_api", "window_clerk", "designer")
    files = [(open(p, "rb"), p.name) for p in sorted(BUNDLE.iterdir()) if p.is_file()]
    try:
        deployed = client.post("/api/v1/deployments", headers=clerk,
                               data={"files": files, "bundle": "restaurant"},
                               content_type="multipart/form-data")
    finally:
        for handle, _ in files:
            handle.close()
    assert deployed.status_code == 201, deployed.get_json()
    started = client.post("/api/v1/cases", headers=clerk, json={
        "process": "restaurant", "data": {"applicant": "张三", "answers": SMALL}})
    assert started.status_code == 201, started.get_json()
    task = next(w for w in started.get_json()["work_items"] if w["element"] == "accept")
    late = (limit(3) + timedelta(days=1)).isoformat()
    answer = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=clerk, json={"data": {
        "outcome": "accept_with_gaps", "promised_materials": ["health_certificates"],
        "promise_deadline": late}})
    problem = assert_problem(answer, 422)
    assert "promise_deadline" in str(problem)
    ok = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=clerk, json={"data": {
        "outcome": "accept_with_gaps", "promised_materials": ["health_certificates"],
        "promise_deadline": promise_date(1)}})
    assert ok.status_code == 200, ok.get_json()
