"""Drive restaurant cases for the commitment tests, with the engine clock frozen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.core import clock
from engine.core.db import unit_of_work
from engine.jobs.worker import Worker, run_until_idle
from engine.timelimits import clocks
from tests.design.bundles.support import BundleScenario

ANSWERS = {"has_licence": False, "area": 180, "menu": "hot_food", "outdoor_sign": False}


class ClockScenario(BundleScenario):
    """A restaurant scenario that can read clocks and run the job worker."""

    def new_case(self, when: datetime, who: str = "zhang_san") -> int:
        clock.freeze(when)
        return self.start_case("restaurant", dict(ANSWERS), who=who)

    def clock(self, case_id: int) -> dict[str, Any]:
        with unit_of_work(self.factory) as s:
            shown = clocks.case_clock(s, case_id)
        assert shown is not None
        return shown

    def jobs(self) -> int:
        return run_until_idle(Worker(self.rt, self.factory, name="clocks"))

    def finish(self, case_id: int) -> None:
        """Approve every item and choose delivery: the case completes."""
        self.approve_all(case_id)
        self.complete(case_id, "choose_delivery", {"delivery": "window"},
                      actor=self.applicant_actor(case_id))

    def applicant_actor(self, case_id: int) -> Any:
        from tests.design.bundles.support import applicant

        return applicant(self.case(case_id).started_by or "zhang_san")
