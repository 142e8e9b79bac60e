"""The org model: offices and staff load, groups follow postings, 全城通办 routing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.core.actors import SYSTEM, Actor
from engine.core.db import unit_of_work
from engine.core.errors import Forbidden, InvalidInput, NotFound
from engine.models import Office, OfficeMember
from engine.org import users
from engine.org.offices import competent_office, import_offices, office_tree, who_decides
from tests.org.catalog.conftest import ORG


def test_org_loads_offices_tree_and_staff(loaded):
    with unit_of_work(loaded, read_only=True) as session:
        levels = dict(session.execute(select(Office.code, Office.level)).all())
        assert levels["county_bureau"] == "bureau" and levels["county_center"] == "center"
        assert levels["branch_tieying"] == levels["branch_yangan"] == "branch"
        assert {"town_huayuan", "town_zhengdian", "town_zhaitoubu"} <= set(levels)
        assert sum(level == "town" for level in levels.values()) >= 5
        tree = office_tree(session)
        bureau = next(n for n in tree if n["code"] == "county_bureau")
        center = bureau["children"][0]
        tieying = next(n for n in center["children"] if n["code"] == "branch_tieying")
        assert "town_huayuan" in [n["code"] for n in tieying["children"]]
        assert tieying["staff"]["window_clerk"] == 1
        assert session.scalar(select(Office.timezone).limit(1)) == "Asia/Shanghai"


@pytest.mark.parametrize(("username", "groups"), [
    ("clerk_tieying", {"window_clerk", "office:branch_tieying", "window_clerk@branch_tieying"}),
    ("reviewer_market", {"reviewer", "reviewer@dept_market", "reviewer@branch_tieying"}),
    ("reviewer_fire", {"reviewer", "office:dept_fire", "reviewer@dept_fire"}),
    ("agent_park", {"agent", "agent@park_circular"}),
    ("supervisor", {"supervisor", "supervisor@county_center"}),
    ("leader", {"leader", "leader@county_bureau"}),
    ("designer", {"designer@county_bureau"}),
    ("admin", {"admin@county_bureau"}),
])
def test_members_get_their_groups(loaded, username, groups):
    with unit_of_work(loaded, read_only=True) as session:
        user = users.get_user(session, username)
        assert groups <= set(user.groups)
        assert user.password_hash is None
    assert user.is_admin == (username == "admin")


def test_postings_record_resident_and_mission(loaded):
    with unit_of_work(loaded, read_only=True) as session:
        rows = session.execute(select(Office.code, OfficeMember.posting).join(OfficeMember.office)
                               .join(OfficeMember.user).where(
            OfficeMember.user.has(username="reviewer_market"))).all()
    assert dict(rows) == {"branch_tieying": "resident", "dept_market": "mission"}


def test_reimport_moves_a_clerk_and_keeps_other_groups_in_step(loaded, tmp_path):
    with unit_of_work(loaded) as session:
        users.add_user(session, "clerk_tieying", groups=["branch_tieying"], exist_ok=True)
        moved = {"staff": [{"username": "clerk_tieying",
                            "posts": [{"office": "town_huayuan", "role": "window_clerk"}]}]}
        counts = import_offices(session, moved, SYSTEM)
        assert counts.users_created == 0 and counts.postings == 1
    with unit_of_work(loaded, read_only=True) as session:
        groups = set(users.get_user(session, "clerk_tieying").groups)
    assert "window_clerk@town_huayuan" in groups and "office:town_huayuan" in groups
    assert "window_clerk@branch_tieying" not in groups
    assert "office:branch_tieying" not in groups
    # groups given by hand stay
    assert {"window_clerk", "branch_tieying"} <= groups


def test_import_is_idempotent(loaded):
    with unit_of_work(loaded) as session:
        before = session.scalar(select(func.count()).select_from(OfficeMember))
        counts = import_offices(session, ORG, SYSTEM)
        assert (counts.offices_created, counts.offices_updated, counts.users_created) == (0, 0, 0)
        assert session.scalar(select(func.count()).select_from(OfficeMember)) == before


def test_a_bad_org_file_names_each_problem_and_writes_nothing(loaded):
    bad = {"offices": [
        {"code": "town_new", "level": "village", "name_zh": "新镇", "parent": "nowhere"},
        {"code": "loop_a", "level": "town", "name_zh": "甲", "parent": "loop_b"},
        {"code": "loop_b", "level": "town", "name_zh": "乙", "parent": "loop_a"},
        {"code": "dept_x", "level": "department", "name_zh": "某局", "department": "XX"},
    ], "staff": [{"username": "someone", "posts": [
        {"office": "town_huayuan", "role": "cook"},
        {"office": "atlantis", "role": "reviewer", "posting": "remote"}]}]}
    with unit_of_work(loaded) as session, pytest.raises(InvalidInput) as caught:
        import_offices(session, bad, SYSTEM)
    paths = {f.path: f.message for f in caught.value.fields}
    assert "offices[0].level" in paths and paths["offices[3].department"].startswith("unknown")
    assert any("own ancestor" in m for m in paths.values())
    assert {"staff[0].posts[0].role", "staff[0].posts[1].office",
            "staff[0].posts[1].posting"} <= set(paths)
    with unit_of_work(loaded, read_only=True) as session, pytest.raises(NotFound):
        users.get_user(session, "someone")


def test_only_leaders_and_admins_import_the_org(loaded):
    with unit_of_work(loaded) as session, pytest.raises(Forbidden):
        import_offices(session, ORG, Actor("clerk_tieying", frozenset({"window_clerk"})))


@pytest.mark.parametrize(("item", "accepted_at", "decides"), [
    # food-business permit accepted at a convenience center: up to its branch
    ("MS-010", "town_huayuan", "branch_tieying"),
    ("MS-010", "town_zhaitoubu", "branch_yangan"),
    ("MS-010", "branch_yangan", "branch_yangan"),
    # the fire check is decided by the fire brigade wherever it is accepted
    ("FR-001", "town_huayuan", "dept_fire"),
    ("FR-001", "county_center", "dept_fire"),
    # individual businesses are registered on the spot in the town
    ("MS-002", "town_zhengdian", "town_zhengdian"),
    # the subsidy is decided at the county service center
    ("HR-010", "town_huayuan", "county_center"),
    ("HR-010", "park_circular", "county_center"),
    # a department that is not the owner passes the item to the owner
    ("MS-013", "dept_fire", "dept_market"),
    ("BK-001", "town_huayuan", "coop_bank"),
])
def test_accept_anywhere_routes_to_the_deciding_office(loaded, item, accepted_at, decides):
    with unit_of_work(loaded, read_only=True) as session:
        assert competent_office(session, item, accepted_at).code == decides
        assert who_decides(session, item, accepted_at) == [f"reviewer@{decides}"]


def test_routing_names_what_is_missing(loaded):
    with unit_of_work(loaded, read_only=True) as session:
        with pytest.raises(NotFound, match="item XX-404"):
            competent_office(session, "XX-404", "town_huayuan")
        with pytest.raises(NotFound, match="office nowhere"):
            competent_office(session, "MS-010", "nowhere")
