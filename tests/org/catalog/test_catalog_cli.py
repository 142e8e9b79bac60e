"""`onething catalog` and `onething offices` against a real database."""

from __future__ import annotations

import shutil

from engine.core.db import make_engine, make_session_factory, unit_of_work
from engine.org import users
from tests.org.catalog.conftest import ITEMS, ORG
from tests.org.catalog.tables import HEADER, row, write_csv
from tests.web.support import SIGNBOARD


def test_catalog_import_then_unchanged_then_list(runner):
    first = runner("catalog", "import", str(ITEMS))
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("items: ") and " created, 0 updated, 0 unchanged" in first.stdout
    assert "importing items.yaml" in first.stderr
    again = runner("catalog", "import", str(ITEMS))
    assert again.exit_code == 0 and "0 created, 0 updated" in again.stdout
    listed = runner("catalog", "list", "--department", "FR")
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines and all("\tFR\t" in line for line in lines)
    assert lines[0].startswith("FR-001\tFR\t5/10d\t公众聚集场所")


def test_a_bad_csv_prints_one_problem_per_line_and_exits_1(runner, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [
        {**row("B-001"), "department_name_zh": "市场监管局"},
        row("B-002", committed_days="25"), row("B-003", accept_levels="moon")],
        header=[*HEADER, "department_name_zh"])
    result = runner("catalog", "import", str(path))
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert f"{path}: row 3, column committed_days: 25 is more than the statutory limit 20" \
        in problems
    assert any("row 4, column accept_levels: moon is not an office level" in p
               for p in problems)
    assert "nothing was imported" in result.stderr and result.stdout == ""
    assert "Traceback" not in result.output
    listed = runner("catalog", "list")
    assert listed.exit_code == 0 and listed.stdout == ""


def test_a_file_of_the_wrong_kind_is_one_line(runner, tmp_path):
    path = tmp_path / "items.txt"
    path.write_text("hello", encoding="utf-8")
    result = runner("catalog", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: items.txt: a catalogue is a .yaml, .csv or .xlsx file"


def test_offices_import_and_list(runner):
    assert runner("catalog", "import", str(ITEMS)).exit_code == 0
    result = runner("offices", "import", str(ORG))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("offices: 23 created, 0 updated; staff:")
    tree = runner("offices", "list").stdout.splitlines()
    assert "      town_huayuan\ttown\t花园镇便民服务中心" in tree


def test_demo_imports_the_catalogue_and_org(runner, tmp_path):
    bundles = tmp_path / "bundles"
    shutil.copytree(SIGNBOARD, bundles / "signboard")
    first = runner("demo", "--bundles", str(bundles))
    assert first.exit_code == 0, first.output
    assert "catalogue: " in first.stdout and "org: offices:" in first.stdout
    again = runner("demo", "--bundles", str(bundles))
    assert again.exit_code == 0 and " 0 created, 0 updated" in again.stdout
    engine = make_engine(runner.db_url)
    try:
        with unit_of_work(make_session_factory(engine), read_only=True) as session:
            user = users.get_user(session, "clerk_tieying")
            assert {"branch_tieying", "window_clerk@branch_tieying"} <= set(user.groups)
            assert users.check_password(user.password_hash, "demo1234")
    finally:
        engine.dispose()
