"""Work no one can take: tasks whose candidates resolve to no active account are found."""

from __future__ import annotations

from engine.casework.staffing import count_unstaffed, unstaffed_tasks
from engine.core.db import unit_of_work
from engine.org.offices.staffing import unstaffed_groups
from tests.casework.staffing_county import build_offices, case_with_task, deployment, person


def _county(session):
    offices = build_offices(session)
    person(session, offices, "clerk_ty", [("branch_tieying", "window_clerk")])
    person(session, offices, "reviewer_ty", [("branch_tieying", "reviewer")])
    # the only reviewer of the market department has left: the account is deactivated
    person(session, offices, "reviewer_gone", [("dept_market", "reviewer")], active=False)
    # a reviewer posted nowhere takes bare-role work of any office
    person(session, offices, "reviewer_free", [], groups=["auditor"])
    return offices


def _numbers(session):
    return [t.case_number for t in unstaffed_tasks(session)]


def test_a_group_with_nobody_is_flagged(db):
    with unit_of_work(db) as session:
        _county(session)
        dep = deployment(session)
        case_with_task(session, dep, "LL-1", "branch_yangan", groups=["reviewer@branch_yangan"])
        case_with_task(session, dep, "LL-2", "branch_tieying",
                       groups=["reviewer@branch_tieying"])
        found = unstaffed_tasks(session)
        assert [t.case_number for t in found] == ["LL-1"]
        assert found[0].groups == ("reviewer@branch_yangan",)
        assert found[0].title == "部门审查决定"
        assert count_unstaffed(session) == 1


def test_a_group_whose_only_member_is_inactive_is_flagged(db):
    with unit_of_work(db) as session:
        _county(session)
        dep = deployment(session)
        case_with_task(session, dep, "LL-3", "branch_tieying", groups=["reviewer@dept_market"])
        case_with_task(session, dep, "LL-4", "branch_tieying", users_=["reviewer_gone"])
        case_with_task(session, dep, "LL-5", "branch_tieying", users_=["reviewer_ty"])
        assert _numbers(session) == ["LL-3", "LL-4"]


def test_an_assigned_task_is_not_flagged(db):
    with unit_of_work(db) as session:
        _county(session)
        dep = deployment(session)
        case_with_task(session, dep, "LL-6", "branch_yangan", groups=["reviewer@branch_yangan"],
                       assignee="reviewer_ty")
        case_with_task(session, dep, "LL-7", "branch_yangan", groups=["reviewer@branch_yangan"],
                       status="completed")
        assert _numbers(session) == []
        assert count_unstaffed(session) == 0


def test_a_bare_role_reaches_members_posted_at_the_case_office_or_nowhere(db):
    with unit_of_work(db) as session:
        offices = _county(session)
        dep = deployment(session)
        # window clerks: only clerk_ty (posted at Tieying) holds the role
        case_with_task(session, dep, "LL-8", "branch_tieying", groups=["window_clerk"])
        case_with_task(session, dep, "LL-9", "branch_yangan", groups=["window_clerk"])
        assert _numbers(session) == ["LL-9"]
        # a clerk posted nowhere takes the bare role's work at every office
        person(session, offices, "clerk_roving", [], groups=["window_clerk"])
        assert _numbers(session) == []
        # a plain group of users reaches its members as it is
        case_with_task(session, dep, "LL-10", "branch_yangan", groups=["auditor"])
        case_with_task(session, dep, "LL-11", "branch_yangan", groups=["market"])
        assert _numbers(session) == ["LL-11"]


def test_a_task_nobody_was_named_for_needs_someone_at_the_case_office(db):
    with unit_of_work(db) as session:
        _county(session)
        dep = deployment(session)
        case_with_task(session, dep, "LL-12", "branch_tieying")
        case_with_task(session, dep, "LL-13", "branch_yangan")
        case_with_task(session, dep, "LL-14", None)
        assert _numbers(session) == ["LL-13"]


def test_groups_with_nobody_are_named(db):
    with unit_of_work(db) as session:
        _county(session)
        assert unstaffed_groups(session, ["reviewer@branch_yangan", "reviewer@dept_market",
                                          "reviewer@branch_tieying", "reviewer", "auditor"]) \
            == ["reviewer@branch_yangan", "reviewer@dept_market"]
