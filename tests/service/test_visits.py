"""Door-to-door visits and mobile-window intakes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from engine.core import clock
from engine.core.db import unit_of_work
from engine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.models import Case
from engine.service import mobile_window, visits
from tests.design.bundles.support import BundleScenario
from tests.service.support import CLERK, DUTY, LI, OTHER_CLERK, ZHANG, messages

AT = datetime.fromisoformat("2026-03-04T14:00:00+08:00")


def ask(db, who=ZHANG, kind="cannot_travel", reason="八十岁老人，行动不便", start=AT,
        hours=2):
    with unit_of_work(db) as s:
        return visits.as_dict(visits.request(
            s, who, "branch_tieying", "乐陵市铁营镇前街12号", kind, reason, start,
            start + timedelta(hours=hours), phone="13800000004"))


def test_a_visit_is_asked_assigned_and_done(seeded):
    visit = ask(seeded)
    assert (visit["status"], visit["clerk"]) == ("requested", None)
    with unit_of_work(seeded) as s:
        assert [v.id for v in visits.visible(s, CLERK, "branch_tieying")] == [visit["id"]]
        visits.assign(s, CLERK, visit["id"], DUTY.username)
    [told] = messages(seeded, template="visit_assigned", channel="in_app")
    assert told.recipient_user == "zhang_san" and "2026-03-04 14:00-16:00" in told.body
    with unit_of_work(seeded) as s:
        assert [v.id for v in visits.visible(s, DUTY)] == [visit["id"]]  # the clerk sent
        done = visits.as_dict(visits.record_outcome(
            s, DUTY, visit["id"], materials_collected=True, onsite_check_done=True,
            notes="现场核验经营场所"))
    assert done["status"] == "done" and done["materials_collected"] is True
    with pytest.raises(Conflict), unit_of_work(seeded) as s:
        visits.cancel(s, ZHANG, visit["id"])


def test_who_may_ask_and_who_may_act(seeded):
    with pytest.raises(InvalidInput) as wrong:
        ask(seeded, kind="just_busy", reason="")
    assert {f.path for f in wrong.value.fields} == {"reason_kind", "reason"}
    with pytest.raises(InvalidInput):
        ask(seeded, start=clock.now() - timedelta(hours=1))
    with pytest.raises(InvalidInput):
        ask(seeded, hours=13)
    visit = ask(seeded, kind="park_enterprise", reason="乐陵市循环经济产业园某某科技有限公司")
    with pytest.raises(NotFound), unit_of_work(seeded) as s:
        visits.get(s, visit["id"], LI)
    with pytest.raises(NotFound), unit_of_work(seeded) as s:
        visits.assign(s, OTHER_CLERK, visit["id"], OTHER_CLERK.username)
    with pytest.raises(InvalidInput), unit_of_work(seeded) as s:
        visits.assign(s, CLERK, visit["id"], OTHER_CLERK.username)  # works elsewhere
    with pytest.raises(Forbidden), unit_of_work(seeded) as s:
        visits.assign(s, ZHANG, visit["id"], DUTY.username)
    with pytest.raises(Conflict), unit_of_work(seeded) as s:
        visits.record_outcome(s, CLERK, visit["id"], materials_collected=False,
                              onsite_check_done=False)  # nobody was sent yet
    with unit_of_work(seeded) as s:
        assert visits.cancel(s, ZHANG, visit["id"], "已自行到窗口办理").status == "cancelled"


def test_a_mobile_window_intake_starts_a_case_on_that_channel(rt, seeded):
    BundleScenario(rt, seeded).deploy_bundle("restaurant")
    data = {"applicant": "花园镇李四小吃",
            "answers": {"has_licence": True, "area": 60, "menu": "drinks",
                        "outdoor_sign": False}}
    with unit_of_work(seeded) as s:
        intake, case = mobile_window.record_intake(
            rt, s, CLERK, "branch_tieying", "花园镇", "花园大集东口", date(2026, 3, 2),
            "restaurant", data)
        made = mobile_window.as_dict(intake, case.number)
    assert made["case_number"].startswith("LL-") and made["clerk"] == "clerk_tieying"
    with unit_of_work(seeded) as s:
        case = s.get(Case, made["case_id"])
        assert (case.channel, case.office_code, case.status) == (
            "mobile_window", "branch_tieying", "running")
        assert [i.place for i, _n in mobile_window.intakes(s, CLERK, "branch_tieying")] == [
            "花园大集东口"]
    with pytest.raises(Forbidden), unit_of_work(seeded) as s:
        mobile_window.record_intake(rt, s, OTHER_CLERK, "branch_tieying", "花园镇", "集市",
                                    date(2026, 3, 2), "restaurant", data)
    with pytest.raises(InvalidInput), unit_of_work(seeded) as s:
        mobile_window.record_intake(rt, s, CLERK, "branch_tieying", "花园镇", "集市",
                                    date(2026, 3, 9), "restaurant", data)
