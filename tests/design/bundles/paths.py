"""The whole-chain paths every bundle must survive; each test_<bundle>.py runs them."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from engine.core import clock
from engine.design import guides
from engine.runtime.diagrams import compile_bundle
from tests.design.bundles.support import (
    CLERK,
    BundleScenario,
    Profile,
    applicant,
    begin,
    files,
    finish,
    promise_date,
    statuses,
)


def check_validates(p: Profile) -> None:
    """The bundle compiles, and its forms and guide agree on materials and items."""
    bundle = compile_bundle(files(p.key))
    assert len(bundle.process_ids) == 2
    guide = guides.load_guide(files(p.key))
    accept = json.loads(files(p.key)["accept.schema.json"])
    promised = {o["const"] for o in accept["properties"]["promised_materials"]["items"]["oneOf"]}
    assert promised == {m.id for m in guide.materials if not m.key}
    listed = {o["const"] for o in accept["properties"]["missing_materials"]["items"]["oneOf"]}
    assert listed == {m.id for m in guide.materials}
    assert len(guide.faq) >= 3 and len(guide.channels) == 6
    for meta in bundle.elements.values():
        if meta.kind == "userTask":
            assert meta.form_schema and meta.due, f"{meta.id} needs a form and a due date"


def check_notice(p: Profile) -> None:
    """The one-time notice lists each material once, with the items that use it."""
    guide = guides.load_guide(files(p.key))
    situation = guides.evaluate(files(p.key), p.answers)
    assert set(situation.items) == p.items
    for lang in ("zh", "en"):
        notice = guides.one_time_notice(guide, situation, lang)
        for material in situation.materials:
            assert notice.count(material.name.get(lang)) == 1, material.id
        for code in situation.items:
            assert f"| {code} |" in notice
    needed = {code for m in situation.materials for code in m.items}
    assert needed == set(situation.items)


def check_main_path(sc: BundleScenario, p: Profile) -> None:
    """Accept, every department approves with a certificate number, the applicant picks post."""
    cid = begin(sc, p)
    sc.accept(cid)
    reviews = sc.reviews(cid)
    assert set(reviews) == p.items
    guide = guides.load_guide(files(p.key))
    for code, item in reviews.items():
        assert item.candidate_names("group") == [guide.item(code).candidate_group]
        assert item.due_at is not None
        # the diagram plans each item with the limit the guide publishes
        assert item.input_data["item"]["days"] == guide.item(code).commitment_days
    sc.approve_all(cid)
    data = finish(sc, cid, {"delivery": "post", "address": "乐陵市铁营镇政府街18号",
                            "phone": "0534-6212345"})
    assert statuses(data) == {code: "approved" for code in p.items}
    assert all(r["certificate_no"].startswith("LL-") for r in data["item_results"].values())
    assert data["case_outcome"] == "completed" and data["delivery"] == "post"
    assert sorted(data["approved_items"]) == sorted(p.items)


def check_supplement_rounds(sc: BundleScenario, p: Profile) -> None:
    """Two supplement rounds with a one-time list each, then acceptance."""
    cid = begin(sc, p)
    ids = [m.id for m in guides.load_guide(files(p.key)).materials]
    for missing in ([ids[1]], [ids[1], ids[2]]):
        sc.complete(cid, "accept", {"outcome": "supplement", "missing_materials": missing,
                                    "supplement_note": "身份证复印件不清晰"}, actor=CLERK)
        item = sc.item(cid, "supplement")
        # the case's applicant alone, not every applicant account
        assert (item.candidate_names("group"), item.candidate_names("user")) == (
            [], ["zhang_san"])
        assert item.input_data["missing_materials"] == missing
        sc.complete(cid, "supplement", {"supplied": True}, actor=applicant())
    assert sc.open_elements(cid) == ["accept"]
    sc.accept(cid)
    sc.approve_all(cid)
    data = finish(sc, cid)
    assert data["supplement_rounds"] == 2
    assert set(statuses(data).values()) == {"approved"}


def _accept_with_gaps(sc: BundleScenario, p: Profile, cid: int) -> str:
    # tomorrow is within every limit: even a one-day item's runs to the next working day
    deadline = promise_date(1)
    sc.accept(cid, outcome="accept_with_gaps", promised_materials=[p.gap_material],
              promise_deadline=deadline)
    assert "supply_promised" in sc.open_elements(cid)
    assert set(sc.reviews(cid)) == p.items  # departments start at once
    return deadline


def check_gaps_kept(sc: BundleScenario, p: Profile) -> None:
    """Promised materials arrive before the deadline: every item goes on to its decision."""
    cid = begin(sc, p)
    _accept_with_gaps(sc, p, cid)
    sc.approve_all(cid)
    assert sc.open_elements(cid) == ["supply_promised"]  # gap items wait for the materials
    sc.complete(cid, "supply_promised", {"supplied_materials": [p.gap_material]},
                actor=applicant())
    data = finish(sc, cid)
    assert set(statuses(data).values()) == {"approved"}
    assert data["promise_kept"] is True


def check_gaps_missed(sc: BundleScenario, p: Profile) -> None:
    """The deadline passes: the gap items end terminated with a notice, the others go on."""
    cid = begin(sc, p)
    deadline = _accept_with_gaps(sc, p, cid)
    others = sorted(p.items - p.gap_items)
    sc.decide(cid, others[0], {"decision": "approve", "certificate_no": "LL-EARLY-1"})
    assert sc.run_timers() == 0  # nothing is due yet
    clock.advance(timedelta(days=4))
    assert sc.run_timers() >= 1
    assert set(sc.reviews(cid)) == set(others[1:])
    sc.approve_all(cid)
    data = finish(sc, cid)
    result = statuses(data)
    assert {c for c, s in result.items() if s == "terminated"} == p.gap_items
    assert {c for c, s in result.items() if s == "approved"} == set(others)
    for code in p.gap_items:
        notice = data["item_results"][code]["notice"]
        assert deadline in notice and "终止办理" in notice
    assert data["promise_kept"] is False and sorted(data["terminated_items"]) == sorted(p.gap_items)


def _return_one(sc: BundleScenario, p: Profile, to: str) -> tuple[int, str, str]:
    """Accept, approve one item, return another to the step TO; (case, returned, kept)."""
    cid = begin(sc, p)
    sc.accept(cid)
    returned, kept, *rest = sorted(p.items)
    sc.decide(cid, kept, {"decision": "approve", "certificate_no": "LL-KEPT-0001"})
    sc.decide(cid, returned, {"decision": "return", "return_reason": "申请表法定代表人签字缺失",
                              "return_to": to})
    # only the returned item goes back; the undecided ones stay with their departments
    assert set(sc.reviews(cid)) == set(rest)
    assert "accept" not in sc.open_elements(cid)
    return cid, returned, kept


def _finish_after_return(sc: BundleScenario, p: Profile, cid: int, returned: str, kept: str,
                         to: str) -> None:
    assert returned in sc.reviews(cid)  # back with its department for a new decision
    sc.approve_all(cid)
    data = finish(sc, cid)
    assert set(statuses(data).values()) == {"approved"}
    assert data["item_results"][kept]["certificate_no"] == "LL-KEPT-0001"
    assert data["return_count"] == 1
    name = data["review_plan"][returned]["name"]
    assert data["returns"] == [{"item": returned, "item_name": name,
                                "reason": "申请表法定代表人签字缺失", "to": to}]
    assert data["item_results"][returned]["returns"] == data["returns"]
    assert data["item_results"][kept]["returns"] == []
    trail = [e for e in sc.trail(cid) if e["action"] == "task.completed"]
    decided = [e["detail"]["data"]["decision"] for e in trail if e["element_id"] == "review"]
    assert decided.count("return") == 1 and len(decided) == len(p.items) + 1


def check_return(sc: BundleScenario, p: Profile) -> None:
    """A reviewer returns one item to the window: the window re-checks it, the others keep
    their decisions, and the item goes back to its department."""
    cid, returned, kept = _return_one(sc, p, "accept")
    recheck = sc.item(cid, "recheck")
    assert recheck.input_data["item_code"] == returned
    assert recheck.input_data["return_reason"] == "申请表法定代表人签字缺失"
    assert recheck.candidate_names("group") == ["window_clerk"]
    sc.complete(cid, "recheck", {"checked": True, "recheck_note": "已补签"}, actor=CLERK)
    _finish_after_return(sc, p, cid, returned, kept, "accept")


def check_return_to_applicant(sc: BundleScenario, p: Profile) -> None:
    """A reviewer returns one item to the applicant for correction; only that item waits."""
    cid, returned, kept = _return_one(sc, p, "supplement")
    correct = sc.item(cid, "correct")
    assert correct.input_data["item_code"] == returned
    assert correct.candidate_names("user") == ["zhang_san"]
    sc.complete(cid, "correct", {"supplied": True, "applicant_note": "已补签"}, actor=applicant())
    _finish_after_return(sc, p, cid, returned, kept, "supplement")


def check_withdraw(sc: BundleScenario, p: Profile) -> None:
    """The applicant withdraws before the decisions: the case ends as withdrawn."""
    cid = begin(sc, p)
    sc.accept(cid)
    first = sorted(p.items)[0]
    sc.decide(cid, first, {"decision": "approve", "certificate_no": "LL-1"})
    assert sc.withdraw(cid, "经营计划调整，申请撤回") == "completed"
    assert sc.open_items(cid) == []
    states = {w.state for w in sc.items_of(cid) if w.element_id == "review"}
    assert states == {"completed", "cancelled"}
    data = sc.data(cid)
    assert data["case_outcome"] == "withdrawn"
    assert data["withdrawal"] == {"reason": "经营计划调整，申请撤回"}


def check_refuse_one(sc: BundleScenario, p: Profile) -> None:
    """One item is refused with a reason, the others approved; the bundle still completes."""
    cid = begin(sc, p)
    sc.accept(cid)
    reason = "不符合相关规定，依法不予许可"
    sc.decide(cid, p.refuse, {"decision": "refuse", "refuse_reason": reason})
    sc.approve_all(cid)
    data = finish(sc, cid, {"delivery": "door", "address": "乐陵市杨安镇政府驻地",
                            "phone": "13800000000"})
    result = statuses(data)
    assert result.pop(p.refuse) == "refused"
    assert set(result.values()) == {"approved"}
    assert data["item_results"][p.refuse]["reason"] == reason
    assert data["refused_items"] == [p.refuse]


def check_reject(sc: BundleScenario, p: Profile) -> None:
    """Not accepted: the case ends at once with the reason."""
    cid = begin(sc, p)
    case = sc.complete(cid, "accept", {"outcome": "reject",
                                       "reject_reason": "不属于本“一件事”办理范围"}, actor=CLERK)
    assert case.status == "completed"
    data = sc.data(cid)
    assert data["case_outcome"] == "rejected" and "不属于" in data["rejection_notice"]


def run_all(sc: BundleScenario, p: Profile, name: str) -> Any:
    return {
        "main": check_main_path, "supplement": check_supplement_rounds,
        "gaps_kept": check_gaps_kept, "gaps_missed": check_gaps_missed,
        "return": check_return, "return_to_applicant": check_return_to_applicant,
        "withdraw": check_withdraw, "refuse_one": check_refuse_one,
        "reject": check_reject,
    }[name](sc, p)


PATHS = ["main", "supplement", "gaps_kept", "gaps_missed", "return", "return_to_applicant",
         "withdraw", "refuse_one", "reject"]
