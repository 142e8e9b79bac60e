"""A case with 2,000 supplement rounds runs correctly through the engine on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.casework import completion
from engine.core.db import unit_of_work
from engine.models import WorkItem
from engine.runtime.engine import Engine
from tests.runtime.scenario import ADMIN, Scenario

ROUNDS = 2000


@pytest.mark.slow
def test_two_thousand_loop_iterations(rt, db, services):
    sc = Scenario(rt, db)
    sc.deploy("loop.bpmn")
    cid = sc.start("loop", {"target": ROUNDS})
    for done in range(ROUNDS):
        with unit_of_work(db) as s:
            items = s.scalars(select(WorkItem.id).where(WorkItem.case_id == cid,
                                                        WorkItem.state == "open")).all()
            assert len(items) == 1, f"round {done}: open items {items}"
            case = completion.complete(rt, s, items[0], {"round": done}, ADMIN)
            status = case.status
        if done < ROUNDS - 1:
            assert status == "running", f"round {done}: case reported {status}"
        if done in (999, 1500):
            # a cold load from the rows alone, as another worker would see it
            rt = Engine(services=services)
            sc.rt = rt
    assert status == "completed"
    shown = sc.show(cid)
    assert shown["status"] == "completed"
    with unit_of_work(db) as s:
        done_items = s.scalars(select(WorkItem).where(WorkItem.case_id == cid,
                                                      WorkItem.state == "completed")).all()
        assert len(done_items) == ROUNDS
        assert sorted(w.input_data.get("rounds") for w in done_items) == list(range(ROUNDS))
