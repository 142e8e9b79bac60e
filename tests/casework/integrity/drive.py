"""Drive a shipped bundle's case to each of its wait states, as the competent people would,
and say who is competent for an open task from the org file alone (not from the engine's
access rule, which is what the tests check)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.core import clock
from engine.core.db import unit_of_work
from engine.models import Case, WorkItem
from engine.models.offices import ROLES
from tests.casework.integrity.county import AGENT, ANSWERS, APPLICANT, valid

# the states every bundle is driven to; start-business also has the agent's intake
STATES = ("accept", "supplement", "gaps", "reviews", "returns", "delivery")
GAP_MATERIAL = {"restaurant": "health_certificates", "employment": "bank_card",
                "start-business": "tax_officer_info"}
# the applicant's agent for the whole chain (county.set_up authorises it)
AGENT_OF = {APPLICANT: AGENT}
ADMIN = "admin"


def competent(item: WorkItem, case: Case,
              posts: dict[tuple[str, str], set[str]]) -> set[str]:
    """Who may work ITEM: its named users, the people posted where its groups say, the
    applicant's agent for the applicant's own steps, and the administrator."""
    people = {c.name for c in item.candidates if c.kind == "user"}
    for group in (c.name for c in item.candidates if c.kind == "group"):
        role, _, office = group.partition("@")
        if office:
            people |= posts.get((office, role), set())
        elif group in ROLES:
            people |= posts.get((case.office_code or "", group), set())
    if case.applicant and case.applicant in people:
        people |= {AGENT_OF[case.applicant]} if case.applicant in AGENT_OF else set()
    return people | {ADMIN}


Complete = Callable[[str, str, dict[str, Any], str | None], None]
Start = Callable[[str, str, dict[str, Any]], int]


class Drive:
    """Move cases through their states with START and COMPLETE (engine or HTTP)."""

    def __init__(self, factory: sessionmaker[Session], start: Start, complete: Complete,
                 posts: dict[tuple[str, str], set[str]]) -> None:
        self.factory, self._start, self._complete, self.posts = factory, start, complete, posts

    def case(self, cid: int) -> Case:
        with unit_of_work(self.factory, read_only=True) as s:
            case = s.get(Case, cid)
            assert case is not None
            s.expunge(case)
            return case

    def open_items(self, cid: int) -> list[WorkItem]:
        with unit_of_work(self.factory, read_only=True) as s:
            rows = list(s.scalars(select(WorkItem).where(
                WorkItem.case_id == cid, WorkItem.state == "open",
                WorkItem.kind.in_(("user", "manual"))).order_by(WorkItem.created_at,
                                                                WorkItem.id)))
            for row in rows:
                _ = row.candidates
                s.expunge(row)
            # a stable order for the property test's draws: parallel tasks are created in
            # one step with random ids, so order by what they are, not by their ids
            return sorted(rows, key=lambda r: (r.element_id, str(r.input_data.get("item_code", "")),
                                               r.created_at))

    def who_works(self, item: WorkItem) -> tuple[str, str | None]:
        """A competent person who is not the administrator (and for whom they act)."""
        case = self.case(item.case_id)
        people = sorted(competent(item, case, self.posts) - {ADMIN})
        if case.applicant in people:
            return case.applicant or "", None
        assert people, f"nobody but the administrator may work {item.element_id}"
        return people[0], None

    def work(self, cid: int, element: str, key: str, **data: Any) -> None:
        item = next(i for i in self.open_items(cid) if i.element_id == element)
        who, for_whom = self.who_works(item)
        self._complete(who, item.id, valid(key, element, **data), for_whom)

    def start(self, key: str, **answers: Any) -> int:
        return self._start(key, APPLICANT, {**ANSWERS[key], **answers})

    def to_state(self, key: str, state: str) -> int:
        """A new case of bundle KEY waiting in STATE."""
        if state == "agent":
            return self.start(key, wants_agent=True, in_park=True)
        cid = self.start(key)
        if state == "accept":
            return cid
        if state == "supplement":
            self.work(cid, "accept", key, outcome="supplement",
                      missing_materials=[GAP_MATERIAL[key]], supplement_note="请补交")
            return cid
        if state == "gaps":
            self.work(cid, "accept", key, outcome="accept_with_gaps",
                      promised_materials=[GAP_MATERIAL[key]],
                      promise_deadline=clock.now().date().isoformat())
            return cid
        self.work(cid, "accept", key)
        if state == "reviews":
            return cid
        reviews = [i for i in self.open_items(cid) if i.element_id == "review"]
        if state == "returns":
            first, second = reviews[0], reviews[1]
            for item, back in ((first, "accept"), (second, "supplement")):
                who, for_whom = self.who_works(item)
                self._complete(who, item.id, valid(key, "review", decision="return",
                                                   return_to=back, return_reason="不清晰"),
                               for_whom)
            return cid
        assert state == "delivery", state
        while True:
            pending = [i for i in self.open_items(cid) if i.element_id == "review"]
            if not pending:
                break
            who, for_whom = self.who_works(pending[0])
            self._complete(who, pending[0].id, valid(key, "review"), for_whom)
        assert [i.element_id for i in self.open_items(cid)] == ["choose_delivery"]
        return cid


def states_of(key: str) -> tuple[str, ...]:
    return STATES + (("agent",) if key == "start-business" else ())
