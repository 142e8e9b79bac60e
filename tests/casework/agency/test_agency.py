"""Agency (代办): an agent works the enterprise's own steps within its authorisation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.casework import agency, completion, permissions, work_items
from engine.core import audit, clock
from engine.core.db import unit_of_work
from engine.core.errors import Forbidden, InvalidInput
from engine.models import WorkItem
from tests.casework.agency.support import AGENT, OTHER_AGENT, PRINCIPAL, START, AgencyScenario
from tests.runtime.scenario import ADMIN

SUPPLIED = {"supplied": True, "supplied_materials": ["id_card"]}


@pytest.fixture
def sc(rt, db) -> AgencyScenario:
    return AgencyScenario(rt, db).setup()


def complete_for(sc: AgencyScenario, cid: int, element: str, data: dict, agent=AGENT,
                 principal: str = PRINCIPAL.username):
    item = sc.item(cid, element)
    with unit_of_work(sc.factory) as s:
        case = completion.complete(sc.rt, s, item.id, data, agent, on_behalf_of=principal)
        s.expunge(case)
        return case


def refused(sc: AgencyScenario, cid: int, element: str = "supplement", **kw) -> str:
    with pytest.raises(Forbidden) as caught:
        complete_for(sc, cid, element, SUPPLIED, **kw)
    assert sc.open_elements(cid) == [element]  # nothing was applied
    return caught.value.message


def test_agent_completes_the_supplement_and_the_trail_shows_for_whom(sc):
    cid = sc.to_supplement()
    sc.grant(["supplement"], bundle="restaurant")
    item_id = sc.item(cid, "supplement").id
    complete_for(sc, cid, "supplement", SUPPLIED)
    assert sc.open_elements(cid) == ["accept"]
    with unit_of_work(sc.factory) as s:
        assert s.get(WorkItem, item_id).completed_by == "agent_park for applicant_ent"
        events = audit.trail(s, cid)
    done = [e for e in events if e.action == "task.completed" and e.task_id == item_id]
    assert [e.actor for e in done] == ["agent_park for applicant_ent"]


def test_agent_claims_for_the_principal(sc):
    cid = sc.to_supplement()
    sc.grant(["all"])
    item = sc.item(cid, "supplement")
    with unit_of_work(sc.factory) as s:
        claimed = work_items.claim(s, item.id, AGENT, on_behalf_of=PRINCIPAL.username)
        assert claimed.assignee == PRINCIPAL.username
        last = audit.trail(s, cid)[-1]
    assert (last.action, last.actor) == ("task.claimed", "agent_park for applicant_ent")
    complete_for(sc, cid, "supplement", SUPPLIED)
    assert sc.open_elements(cid) == ["accept"]


def test_out_of_scope_is_refused_with_the_reason(sc):
    cid = sc.to_supplement()
    sc.grant(["receive_result"])
    assert "'supplement' is out of the scope" in refused(sc, cid)


def test_expired_authorisation_is_refused(sc):
    cid = sc.to_supplement()
    sc.grant(["supplement"], hours=1)
    clock.advance(timedelta(hours=2))
    assert "expired" in refused(sc, cid)


def test_revoked_authorisation_is_refused(sc):
    cid = sc.to_supplement()
    grant = sc.grant(["supplement"])
    assert sc.revoke(grant).revoked_by == PRINCIPAL.username
    assert "revoked" in refused(sc, cid)


def test_another_agent_without_authorisation_is_refused(sc):
    cid = sc.to_supplement()
    sc.grant(["all"])
    assert "holds no authorisation" in refused(sc, cid, agent=OTHER_AGENT)


def test_authorisation_for_another_case_or_bundle_does_not_cover(sc):
    cid = sc.to_supplement()
    sc.grant(["supplement"], bundle="start_business")
    assert "covers only bundle 'start_business'" in refused(sc, cid)
    other = sc.to_supplement()
    sc.grant(["supplement"], case_id=other)
    complete_for(sc, other, "supplement", SUPPLIED)
    assert f"covers only case {other}" in refused(sc, cid)


def test_agent_cannot_take_tasks_that_are_not_the_principals(sc):
    cid = sc.start("restaurant", dict(START), actor=PRINCIPAL)
    sc.grant(["all"])
    with pytest.raises(Forbidden, match="may not complete"):
        complete_for(sc, cid, "accept", {"outcome": "accept"})


def test_only_the_principal_or_an_admin_grants_and_only_for_the_future(sc):
    with unit_of_work(sc.factory) as s:
        with pytest.raises(Forbidden):
            agency.authorize(s, OTHER_AGENT, "agent_park", ["all"],
                             clock.now() + timedelta(days=1), for_principal="applicant_ent")
        with pytest.raises(InvalidInput) as caught:
            agency.authorize(s, PRINCIPAL, "agent_park", ["everything"],
                             clock.now() - timedelta(days=1))
        assert {f.path for f in caught.value.fields} == {"scope", "valid_until"}
    grant = sc.grant(["all"])
    with unit_of_work(sc.factory) as s, pytest.raises(Forbidden, match="only applicant_ent"):
        agency.revoke(s, grant, AGENT)
    by_admin = sc.grant(["apply"], by=ADMIN, for_principal=PRINCIPAL.username)
    with unit_of_work(sc.factory) as s:
        made = agency.get(s, by_admin)
        assert (made.principal, made.created_by) == (PRINCIPAL.username, ADMIN.username)
        assert [a.id for a in agency.mine(s, AGENT)] == [by_admin, grant]


def test_agent_applies_for_the_enterprise_with_scope_apply(sc):
    data = {"applicant": START["applicant"], "answers": START["answers"]}
    with unit_of_work(sc.factory) as s, pytest.raises(Forbidden, match="holds no"):
        agency.for_start(s, AGENT, PRINCIPAL.username, "restaurant")
    sc.grant(["apply"])
    with unit_of_work(sc.factory) as s:
        who = agency.for_start(s, AGENT, PRINCIPAL.username, "restaurant")
    assert who.label == "agent_park for applicant_ent"
    # the case is for the principal: the data cannot name anyone else
    with pytest.raises(InvalidInput, match="applicant_user"):
        sc.start("restaurant", {**data, "applicant_user": "someone_else"}, actor=who)
    cid = sc.start("restaurant", data, actor=who)
    assert sc.case(cid).started_by == "agent_park for applicant_ent"
    assert sc.case(cid).applicant == PRINCIPAL.username
    assert sc.trail(cid)[0]["actor"] == "agent_park for applicant_ent"
    case = sc.case(cid)
    with unit_of_work(sc.factory) as s:
        assert permissions.may_see_case(s, case, AGENT)
        assert not permissions.may_see_case(s, case, OTHER_AGENT)
