"""Drive shipped bundles through the engine API as the people who would work them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from engine.casework import completion
from engine.core import clock
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.design.deployments import read_paths
from engine.jobs import messages
from engine.jobs.worker import Worker, run_until_idle
from engine.models import WorkItem
from tests.runtime.scenario import Scenario

BUNDLES = Path(__file__).resolve().parents[3] / "bpmn" / "bundles"

CLERK = Actor("clerk_tieying", frozenset({"window_clerk"}))
AGENT = Actor("agent_park", frozenset({"agent"}))
INTEGRATION = Actor("hall_gateway", frozenset({"integration"}))


def applicant(username: str = "zhang_san") -> Actor:
    """An applicant account; the 'applicant' lane of its cases names it alone."""
    return Actor(username, frozenset({"applicant"}))


def reviewer(group: str) -> Actor:
    """A department reviewer in GROUP (e.g. reviewer@dept_market)."""
    return Actor(f"rev_{group.split('@')[-1]}", frozenset({group}))


def files(key: str) -> dict[str, bytes]:
    """The files of the bundle folder KEY."""
    return read_paths([BUNDLES / key])


class BundleScenario(Scenario):
    """A Scenario with the steps of a one-thing case: accept, review, supply, deliver."""

    def deploy_bundle(self, key: str) -> int:
        return self.deploy_files(files(key), bundle=key)

    def start_case(self, key: str, answers: dict[str, Any], who: str = "zhang_san",
                   name: str = "乐陵市铁营镇张三餐馆", **kw: Any) -> int:
        """Start a case as the applicant WHO; KW goes to start_case (office, channel, ...)."""
        data = {"applicant": name, "answers": answers}
        return self.start(key, data, actor=applicant(who), business_key=f"{key}-{who}", **kw)

    def open_elements(self, case_id: int) -> list[str]:
        return sorted(w.element_id for w in self.open_items(case_id))

    def reviews(self, case_id: int) -> dict[str, WorkItem]:
        """Open department reviews by item code."""
        return {w.input_data["item_code"]: w for w in self.open_items(case_id)
                if w.element_id == "review"}

    def decide(self, case_id: int, code: str, data: dict[str, Any]) -> Any:
        """Complete the review of item CODE as a reviewer of its department."""

        item = self.reviews(case_id)[code]
        groups = [c.name for c in item.candidates if c.kind == "group"]
        assert len(groups) == 1, groups
        with unit_of_work(self.factory) as s:
            case = completion.complete(self.rt, s, item.id, data, reviewer(groups[0]))
            s.expunge(case)
            return case

    def approve_all(self, case_id: int) -> Any:
        case = None
        for n, code in enumerate(sorted(self.reviews(case_id))):
            case = self.decide(case_id, code, {"decision": "approve",
                                               "certificate_no": f"LL-{code}-{n:04d}"})
        return case

    def accept(self, case_id: int, **data: Any) -> Any:
        return self.complete(case_id, "accept", {"outcome": "accept", **data}, actor=CLERK)

    def data(self, case_id: int) -> dict[str, Any]:
        """The workflow data of the case after it ended (from the last completed work item)."""
        from engine.runtime.case_runner import open_live

        with unit_of_work(self.factory) as s:
            from engine.casework.cases import get_case

            live = open_live(self.rt, s, get_case(s, case_id))
            return dict(live.workflow.data) | dict(live.workflow.last_task.data)

    def withdraw(self, case_id: int, reason: str) -> Any:
        case = self.case(case_id)
        with unit_of_work(self.factory) as s:
            done = messages.send_message(self.rt, s, "withdraw", actor=INTEGRATION,
                                         business_key=case.business_key,
                                         payload={"reason": reason})
            return done[0].status

    def run_timers(self) -> int:
        return run_until_idle(Worker(self.rt, self.factory, name="bundles"))

    def items_of(self, case_id: int) -> list[WorkItem]:
        with unit_of_work(self.factory) as s:
            rows = list(s.scalars(select(WorkItem).where(WorkItem.case_id == case_id)
                                  .order_by(WorkItem.created_at, WorkItem.element_id)))
            for r in rows:
                s.expunge(r)
            return rows


def promise_date(days: int) -> str:
    """An ISO date DAYS calendar days after the engine's today."""
    return (clock.now().date() + timedelta(days=days)).isoformat()


def today() -> date:
    return clock.now().date()


# --- shared end-to-end paths, run by each bundle's test module ---------------------------

class Profile:
    """What one bundle's tests need to know: answers, the items they give, a gap to promise."""

    def __init__(self, key: str, answers: dict[str, Any], items: set[str], gap_material: str,
                 gap_items: set[str], refuse: str, applicant_name: str) -> None:
        self.key = key
        self.answers = answers
        self.items = items
        self.gap_material = gap_material
        self.gap_items = gap_items
        self.refuse = refuse
        self.applicant_name = applicant_name


def begin(sc: BundleScenario, p: Profile, who: str = "zhang_san") -> int:
    """Deploy, start a case for P and take it to the acceptance task."""
    sc.deploy_bundle(p.key)
    cid = sc.start_case(p.key, p.answers, who=who, name=p.applicant_name)
    if "agent_intake" in sc.open_elements(cid):
        sc.complete(cid, "agent_intake", {"agent_name": "王代办", "authorisation_scope": ["apply"],
                                          "authorisation_valid_until": promise_date(90)},
                    actor=AGENT)
    assert sc.open_elements(cid) == ["accept"], sc.case(cid).error_message
    return cid


def finish(sc: BundleScenario, cid: int, delivery: dict[str, Any] | None = None) -> dict[str, Any]:
    """Choose the delivery as the applicant; return the ended case's data."""
    assert sc.open_elements(cid) == ["choose_delivery"], sc.case(cid).error_message
    case = sc.complete(cid, "choose_delivery", delivery or {"delivery": "window"},
                       actor=applicant(sc.case(cid).business_key.rsplit("-", 1)[-1]))
    assert case.status == "completed", case.error_message
    return sc.data(cid)


def statuses(data: dict[str, Any]) -> dict[str, str]:
    return {code: result["status"] for code, result in data["item_results"].items()}


# --- data for the save/load property test (tests/runtime/test_persistence_roundtrip.py) ----
# One dict serves every bundle: a bundle ignores the answers it does not ask. The drive
# runs the workflow in memory, so it sets what start_case would (applicant, routing).
ROUNDTRIP_START: dict[str, Any] = {
    "applicant": "A", "applicant_user": "a", "routing": {},
    "answers": {"has_licence": False, "area": 120, "menu": "cold_food", "outdoor_sign": True,
                "company_type": "llc", "need_seal": True, "need_invoice": True,
                "has_employees": True, "need_bank_account": True, "in_park": True,
                "wants_agent": True, "age": 25, "start_business": True, "wants_subsidy": True,
                "registered_unemployed": True, "graduate": True, "medical_insurance": True,
                "job_info": True},
}


def roundtrip_answers(outcome: str = "accept") -> dict[str, dict[str, Any]]:
    """Form data per task name for the property test's random drive."""
    return {
        "agent_intake": {"agent_name": "王代办", "authorisation_scope": ["apply"],
                         "authorisation_valid_until": "2099-12-31"},
        "accept": {"outcome": outcome, "promised_materials": [
            "health_certificates", "tax_officer_info", "bank_card"],
            "promise_deadline": promise_date(1)},
        "supplement": {"supplied": True},
        "review": {"decision": "approve", "certificate_no": "LL-0001"},
        "supply_promised": {"supplied_materials": ["health_certificates"]},
        "choose_delivery": {"delivery": "window"},
    }
