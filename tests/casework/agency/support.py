"""A restaurant case whose applicant is an enterprise account, and the people around it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from engine.casework import agency
from engine.core import clock
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.models import AgencyAuthorization, WorkItem
from engine.org import users
from tests.design.bundles.support import CLERK, BundleScenario

PRINCIPAL = Actor("applicant_ent", frozenset({"applicant"}))
AGENT = Actor("agent_park", frozenset({"agent"}))
OTHER_AGENT = Actor("agent_other", frozenset({"agent"}))
MARKET = Actor("rev_market", frozenset({"reviewer@dept_market"}))
FIRE = Actor("rev_fire", frozenset({"reviewer@dept_fire"}))
ANSWERS = {"has_licence": False, "area": 180, "menu": "hot_food", "outdoor_sign": False}
START = {"applicant": "铁营镇好味道餐饮有限公司", "answers": ANSWERS}


class AgencyScenario(BundleScenario):
    """The restaurant bundle deployed, with accounts for the applicant and two agents."""

    def setup(self) -> AgencyScenario:
        self.deploy_bundle("restaurant")
        with unit_of_work(self.factory) as s:
            for who in (PRINCIPAL, AGENT, OTHER_AGENT):
                users.add_user(s, who.username, groups=sorted(who.groups))
        return self

    def grant(self, scope: list[str], *, hours: int = 24, by: Actor = PRINCIPAL,
              **kw: Any) -> int:
        with unit_of_work(self.factory) as s:
            until = clock.now() + timedelta(hours=hours)
            return agency.authorize(s, by, AGENT.username, scope, until, **kw).id

    def revoke(self, grant_id: int, by: Actor = PRINCIPAL) -> AgencyAuthorization:
        with unit_of_work(self.factory) as s:
            grant = agency.revoke(s, grant_id, by)
            s.flush()
            s.expunge(grant)
            return grant

    def reviews(self, case_id: int) -> dict[str, WorkItem]:
        """Open department reviews by item code (not the 协办 items on the same element)."""
        return {w.input_data["item_code"]: w for w in self.open_items(case_id)
                if w.element_id == "review" and w.kind == "user"}

    def to_supplement(self) -> int:
        """Start a case for the enterprise and have the window send it back for supplement."""
        cid = self.start("restaurant", dict(START), actor=PRINCIPAL)
        self.complete(cid, "accept", {"outcome": "supplement", "missing_materials": ["id_card"]},
                      actor=CLERK)
        assert self.open_elements(cid) == ["supplement"], self.case(cid).error_message
        return cid

    def to_reviews(self) -> int:
        """Start a case and accept it, so the departments review their items."""
        cid = self.start("restaurant", dict(START), actor=PRINCIPAL)
        self.accept(cid)
        assert set(self.reviews(cid)) == {"MS-001", "MS-010", "FR-001"}
        return cid
