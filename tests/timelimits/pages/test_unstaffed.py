"""Work no one can take shows on the supervision queue and the admin home, by name."""

from __future__ import annotations

from sqlalchemy import select

from engine.core.db import unit_of_work
from engine.models import Deployment, User
from tests.casework.staffing_county import case_with_task
from tests.ui.conftest import sign_in
from web.context import onething


def _yangan_case(app, number="LL-2026-000042", group="reviewer@branch_yangan"):
    """A restaurant case accepted at the Yang'an branch, its review waiting for GROUP;
    the branch's only reviewer has left (the account is deactivated)."""
    _set_active(app, "reviewer_yangan", False)
    with unit_of_work(onething(app).factory) as session:
        dep = session.scalar(select(Deployment).where(Deployment.bundle_key == "restaurant"))
        case_with_task(session, dep, number, "branch_yangan", groups=[group],
                       title="部门审查决定")


def _set_active(app, username, active):
    with unit_of_work(onething(app).factory) as session:
        session.scalar(select(User).where(User.username == username)).active = active


def test_supervision_flags_the_case_by_number_and_group_name(app, client, person, restaurant):
    _yangan_case(app)
    _yangan_case(app, "LL-2026-000043", "reviewer@branch_tieying")
    person("sup_a", "supervisor")
    sign_in(client, "sup_a")
    page = client.get("/workbench/supervision").get_data(as_text=True)
    assert "无人可办的任务 (1)" in page
    section = page[page.index('data-testid="unstaffed-section"'):]
    section = section[:section.index("</section>")]
    assert "LL-2026-000042" in section and "部门审查决定" in section
    assert "杨安分局（杨安政务服务分中心） 审批人员" in section
    assert "/admin/offices/branch_yangan" in section
    # the Tieying branch has its reviewers: that case is not flagged
    assert "LL-2026-000043" not in section
    assert "reviewer@branch_yangan" not in page


def test_a_second_supervisor_sees_the_same_and_a_clerk_sees_none(app, client, person,
                                                                 restaurant):
    _yangan_case(app)
    person("sup_b", "supervisor")
    person("clerk_b", "window_clerk")
    sign_in(client, "sup_b")
    assert "LL-2026-000042" in client.get("/workbench/supervision").get_data(as_text=True)
    other = app.test_client()
    sign_in(other, "clerk_b")
    assert "无人可办的任务" not in other.get("/workbench/supervision").get_data(as_text=True)


def test_staffing_the_branch_clears_the_flag(app, client, person, restaurant):
    _yangan_case(app)
    person("sup_c", "supervisor")
    sign_in(client, "sup_c")
    assert "无人可办的任务 (1)" in client.get("/workbench/supervision").get_data(as_text=True)
    _set_active(app, "reviewer_yangan", True)
    assert "无人可办的任务" not in client.get("/workbench/supervision").get_data(as_text=True)
    person("reviewer_ya2", "reviewer@branch_yangan")
    _set_active(app, "reviewer_yangan", False)
    assert "无人可办的任务" not in client.get("/workbench/supervision").get_data(as_text=True)
    _set_active(app, "reviewer_ya2", False)
    assert "无人可办的任务 (1)" in client.get("/workbench/supervision").get_data(as_text=True)


def test_the_admin_home_counts_and_lists_them(app, client, person, restaurant):
    _yangan_case(app)
    _yangan_case(app, "LL-2026-000044")
    person("leader_a", "leader")
    sign_in(client, "leader_a")
    page = client.get("/admin").get_data(as_text=True)
    assert "无人可办的任务：2" in page or "无人可办的任务: 2" in page
    assert 'data-count="2"' in page
    assert "LL-2026-000042" in page and "LL-2026-000044" in page
    assert "杨安分局（杨安政务服务分中心） 审批人员" in page


def test_the_admin_home_says_when_everyone_is_covered(app, client, person, restaurant):
    person("leader_b", "leader")
    sign_in(client, "leader_b")
    page = client.get("/admin").get_data(as_text=True)
    assert 'data-count="0"' in page
    assert "每项待办都有人可办" in page
