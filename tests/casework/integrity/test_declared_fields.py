"""Only declared fields are written: every person's task, start, message and worker of the
shipped bundles and of the corpus diagrams that run takes what its contract names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from engine.casework import cases, completion
from engine.core.db import unit_of_work
from engine.core.errors import InvalidInput
from tests.casework.integrity.county import (
    ANSWERS,
    APPLICANT,
    APPLICANT_TWO,
    KEYS,
    OFFICE,
    actor_of,
    valid,
)
from tests.casework.integrity.drive import Drive, states_of
from tests.runtime.corpus_data import RUNS
from tests.runtime.scenario import ADMIN, Scenario
from tests.runtime.test_corpus_outcomes import record_calls

# names a person might slip in to change who decides, next to plain junk
SLIPPED = ("review_plan", "routing", "applicant_user", "review_group", "recheck_group",
           "x_not_on_the_form")


def refused(fn: Any, *names: str) -> list[str]:
    """Run FN, which must be refused naming NAMES; return the refused paths."""
    with pytest.raises(InvalidInput) as err:
        fn()
    paths = [f.path for f in err.value.fields]
    for name in names:
        assert name in paths, (name, paths)
    return paths


def test_the_supplement_cannot_rewrite_who_reviews(rt: Any, drive: Drive,
                                                   county: sessionmaker[Session]) -> None:
    """The reported attack: an applicant's supplement carrying a forged review plan."""
    cid = drive.to_state("restaurant", "supplement")
    [supplement] = [i for i in drive.open_items(cid) if i.element_id == "supplement"]
    forged = {"MS-001": {"code": "MS-001", "name": "x", "group": "applicant", "days": 1,
                         "office": "", "office_name": "", "window": "applicant",
                         "mode": "standard"}}
    with unit_of_work(county) as s:
        version = cases.get_case(s, cid).version
    def send() -> None:
        with unit_of_work(county) as s:
            completion.complete(rt, s, supplement.id,
                                {"supplied": True, "review_plan": forged},
                                actor_of(s, APPLICANT))
    refused(send, "review_plan")
    with unit_of_work(county) as s:
        assert cases.get_case(s, cid).version == version  # nothing was written
    drive.work(cid, "supplement", "restaurant")
    drive.work(cid, "accept", "restaurant")
    reviews = [i for i in drive.open_items(cid) if i.element_id == "review"]
    groups = {c.name for i in reviews for c in i.candidates}
    assert len(reviews) == 4 and all(g.startswith("reviewer@") for g in groups), groups
    assert "applicant" not in groups and APPLICANT not in groups


def test_a_case_cannot_be_started_for_someone_else(rt: Any,
                                                   county: sessionmaker[Session]) -> None:
    data = {"applicant": "某企业", "answers": ANSWERS["restaurant"]}
    for forged in ({"applicant_user": APPLICANT_TWO}, {"routing": {}}):
        def start(forged: dict[str, Any] = forged) -> None:
            with unit_of_work(county) as s:
                cases.start_case(rt, s, "restaurant", {**data, **forged},
                                 actor=actor_of(s, APPLICANT), office=OFFICE)
        refused(start, *forged)
    with unit_of_work(county) as s:
        case = cases.start_case(rt, s, "restaurant", data, actor=actor_of(s, APPLICANT),
                                office=OFFICE)
        assert case.applicant == APPLICANT


@pytest.mark.parametrize("key", KEYS)
def test_every_task_of_every_state_refuses_what_its_form_does_not_declare(
        rt: Any, drive: Drive, county: sessionmaker[Session], key: str) -> None:
    seen: set[str] = set()
    for state in states_of(key):
        cid = drive.to_state(key, state)
        for item in drive.open_items(cid):
            who, for_whom = drive.who_works(item)
            good = valid(key, item.element_id)
            for name in SLIPPED:
                def send(item_id: str = item.id, name: str = name,
                         data: dict[str, Any] = good, who: str = who,
                         for_whom: str | None = for_whom) -> None:
                    with unit_of_work(county) as s:
                        completion.complete(rt, s, item_id, {**data, name: {"group": "x"}},
                                            actor_of(s, who), on_behalf_of=for_whom)
                assert refused(send, name) == [name]
            seen.add(item.element_id)
    # every person's task of the bundle was reached and tried
    assert seen >= {"accept", "supplement", "review", "recheck", "correct",
                    "supply_promised", "choose_delivery"}, seen


@pytest.mark.parametrize("run_id", sorted(RUNS))
def test_corpus_tasks_take_only_what_their_diagram_declares(
        corpus: Path, rt: Any, services: Any, db: sessionmaker[Session], run_id: str) -> None:
    run = RUNS[run_id]
    record_calls(services, run.connectors)
    sc = Scenario(rt, db)
    sc.deploy_files({run.file: (corpus / run.file).read_bytes()}, bundle="corpus")
    cid = sc.start("corpus", run.start)
    for _step in range(40):
        people = [w for w in sc.open_items(cid) if w.kind != "external"]
        if not people:
            break
        item = people[0]
        answers = run.answers.get(item.element_id, {})
        extra = {**answers, "x_not_declared": 1}
        refused(lambda element=item.element_id, data=extra: sc.complete(
            cid, element, data, actor=ADMIN), "x_not_declared")
        sc.complete(cid, item.element_id, answers, actor=ADMIN)
    assert sc.case(cid).status == "completed"
