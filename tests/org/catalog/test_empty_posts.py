"""Importing the org model names the office roles nobody holds: work routed there would
wait for ever (a warning, not a refusal)."""

from __future__ import annotations

import yaml

from engine.core.actors import SYSTEM
from engine.core.db import unit_of_work
from engine.org.catalog import import_catalog
from engine.org.offices import import_offices
from engine.org.offices.staffing import empty_posts
from tests.org.catalog.conftest import ITEMS, ORG


def _org_without(tmp_path, username):
    """The shipped org model with USERNAME's postings taken away."""
    doc = yaml.safe_load(ORG.read_text(encoding="utf-8"))
    doc["staff"] = [p for p in doc["staff"] if p["username"] != username]
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_county_staffs_its_branches(loaded):
    with unit_of_work(loaded, read_only=True) as session:
        groups = {p.group for p in empty_posts(session)}
    assert not {g for g in groups if g.endswith(("@branch_tieying", "@branch_yangan",
                                                 "@county_center"))}
    # a department that decides county items and has nobody posted is named
    assert "reviewer@dept_police" in groups


def test_import_names_a_branch_without_reviewers(db, tmp_path):
    with unit_of_work(db) as session:
        import_catalog(session, ITEMS, actor=SYSTEM)
        counts = import_offices(session, _org_without(tmp_path, "reviewer_yangan"), SYSTEM)
    posts = {p.group: p for p in counts.empty}
    assert "reviewer@branch_yangan" in posts
    assert str(posts["reviewer@branch_yangan"]).startswith("乐陵市行政审批服务局杨安分局")
    # the branch's window is staffed
    assert "window_clerk@branch_yangan" not in posts


def test_an_inactive_account_holds_no_post(loaded):
    from engine.org import users

    with unit_of_work(loaded) as session:
        users.get_user(session, "reviewer_yangan").active = False
        session.flush()
        assert "reviewer@branch_yangan" in {p.group for p in empty_posts(session)}


def test_the_cli_warns_on_stderr_and_still_imports(runner, tmp_path):
    assert runner("catalog", "import", str(ITEMS)).exit_code == 0
    result = runner("offices", "import", str(_org_without(tmp_path, "reviewer_yangan")))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("offices: 23 created")
    assert "warning: nobody can take work for reviewer@branch_yangan" in result.stderr
    assert "warning: nobody can take work for window_clerk@branch_tieying" not in result.stderr
