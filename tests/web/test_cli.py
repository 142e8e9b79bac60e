"""The `onething` command line against a real database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import click
import pytest

from tests.web.support import DATA, SIGNBOARD, signboard_files
from web.cli import main
from web.context import onething


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("words", all_commands(main), ids=lambda w: " ".join(w) or "onething")
def test_every_command_has_help(runner, words):
    result = runner(*words, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.stdout


def test_validate_ok_names_files_and_processes(runner):
    result = runner("validate", str(SIGNBOARD), str(DATA / "stamp.bpmn"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["ok: check-form.json, signboard.bpmn (signboard)",
                                          "ok: stamp.bpmn (stamp)"]


def test_validate_failure_prints_problem_lines_and_exits_1(runner):
    broken = DATA / "broken" / "broken.bpmn"
    result = runner("validate", str(broken), str(SIGNBOARD / "check-form.json"))
    assert result.exit_code == 1
    assert f"{broken}:51: to_issued: targetRef refers to unknown element 'nowhere'" \
        in result.stderr.splitlines()
    assert result.stdout == ""


def test_validate_of_a_missing_path_is_one_line(runner, tmp_path):
    result = runner("validate", str(tmp_path / "absent.bpmn"))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("absent.bpmn: no such file or folder")
    assert "Traceback" not in result.output


def test_deploy_then_unchanged(runner):
    first = runner("deploy", str(SIGNBOARD))
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("created: signboard version 1 (")
    again = runner("deploy", *map(str, signboard_files()))
    assert again.stdout.startswith("unchanged: signboard version 1 (")
    named = runner("deploy", str(SIGNBOARD), "--bundle", "signboard_permit")
    assert named.stdout.startswith("created: signboard_permit version 1")


def test_deploy_of_an_invalid_bundle_exits_1(runner):
    result = runner("deploy", str(DATA / "broken"))
    assert result.exit_code == 1
    assert "broken.bpmn:51: to_issued:" in result.stderr
    assert runner("cases", "list").stdout.strip() == "0 of 0 cases"


def test_user_add_and_token_create(runner, client):
    added = runner("user", "add", "clerk", "--password", "counter-7-pass", "--group",
                   "window_clerk", "--group", "branch_tieying")
    assert added.exit_code == 0, added.output
    assert added.stdout.strip() == "added user clerk (groups: branch_tieying, window_clerk)"
    again = runner("user", "add", "clerk")
    assert again.exit_code == 1
    assert again.stderr.strip() == "error: user 'clerk' already exists"

    issued = runner("token", "create", "clerk", "--name", "laptop")
    token = issued.stdout.strip()
    assert issued.exit_code == 0 and token.startswith("ot_")
    inbox = client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert inbox.status_code == 200
    nobody = runner("token", "create", "nobody")
    assert nobody.exit_code == 1 and nobody.stderr.strip() == "error: user 'nobody' not found"

    listed = runner("token", "list", "clerk")
    token_id, name, _created, status = listed.stdout.strip().split("\t")
    assert (name, status) == ("laptop", "active")
    assert runner("token", "revoke", token_id).exit_code == 0
    assert runner("token", "list", "clerk").stdout.strip().endswith("revoked")
    refused = client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401


def start_case(client: Any, runner: Any) -> dict[str, Any]:
    runner("deploy", str(SIGNBOARD))
    runner("user", "add", "boss", "--admin")
    token = runner("token", "create", "boss").stdout.strip()
    response = client.post("/api/v1/cases", headers={"Authorization": f"Bearer {token}"},
                           json={"process": "signboard", "business_key": "shop-9"})
    assert response.status_code == 201
    return response.get_json()


def test_cases_list_and_show(runner, client):
    case = start_case(client, runner)
    listing = runner("cases", "list", "--status", "running")
    assert listing.exit_code == 0, listing.output
    assert case["number"] in listing.stdout and "1 of 1 cases" in listing.stdout
    assert "0 of 0" in runner("cases", "list", "--bundle", "other").stdout

    shown = runner("cases", "show", case["number"])
    assert shown.exit_code == 0, shown.output
    text = shown.stdout
    assert f"{case['number']} (id {case['id']})" in text
    assert "Check the signboard application (check)  window_clerk" in text
    assert "business   shop-9" in text and "case.started" in text
    assert runner("cases", "show", str(case["id"])).stdout == text

    for ref in ("424242", "99999999999999999999"):
        missing = runner("cases", "show", ref)
        assert missing.exit_code == 1 and missing.stderr.strip() == f"error: case {ref} not found"


def test_demo_deploys_bundles_and_accounts_idempotently(runner, tmp_path):
    bundles = tmp_path / "bundles"
    shutil.copytree(SIGNBOARD, bundles / "signboard")
    first = runner("demo", "--bundles", str(bundles))
    assert first.exit_code == 0, first.output
    assert "deployed: signboard version 1" in first.stdout
    assert "account: admin / admin (admin)" in first.stdout
    again = runner("demo", "--bundles", str(bundles))
    assert again.exit_code == 0 and "unchanged: signboard version 1" in again.stdout
    assert runner("demo", "--bundles", str(tmp_path / "absent")).exit_code == 0


def test_db_upgrade_on_a_fresh_database(tmp_path):
    from click.testing import CliRunner

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    before = CliRunner().invoke(main, ["--database-url", url, "cases", "list"])
    assert before.exit_code == 1 and "onething db upgrade" in before.stderr
    result = CliRunner().invoke(main, ["--database-url", url, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("database at revision ")
    after = CliRunner().invoke(main, ["--database-url", url, "cases", "list"])
    assert after.exit_code == 0 and "0 of 0 cases" in after.stdout


def test_worker_once_runs_what_is_due(runner):
    result = runner("worker", "--once")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ran 0 jobs"


def test_serve_runs_the_app_with_a_worker_beside_it(runner, monkeypatch, tmp_path, served):
    monkeypatch.delenv("ONETHING_SECRET_KEY", raising=False)
    monkeypatch.setenv("ONETHING_SECRET_KEY_FILE", str(tmp_path / "secret_key"))
    result = runner("serve", "--port", "5077", "--threads", "3")
    assert result.exit_code == 0, result.output
    app, options = served[0], served.options[0]
    assert options.port == 5077 and options.threads == 3 and options.embedded_worker
    # one process on SQLite (one writer at a time), several on a server database
    assert options.workers == 1 if runner.db_url.startswith("sqlite") else options.workers >= 2
    assert app.test_client().get("/healthz").status_code == 200
    assert runner("serve", "--no-worker", "--workers", "3").exit_code == 0
    assert served.options[1].embedded_worker is False and served.options[1].workers == 3


class _Served(list[Any]):
    """The apps `serve` would run, and the options it would run them with."""

    def __init__(self) -> None:
        super().__init__()
        self.options: list[Any] = []


@pytest.fixture
def served(monkeypatch) -> Iterator[_Served]:
    """What `serve` would run (gunicorn itself is not started)."""
    from web.commands import running

    apps = _Served()

    def fake_serve(make_app: Any, options: Any) -> None:
        apps.append(make_app())
        apps.options.append(options)

    monkeypatch.setattr(running.serving, "serve", fake_serve)
    monkeypatch.delenv("ONETHING_DEV", raising=False)
    # several workers share metrics through this folder: it must not outlive the test
    monkeypatch.setenv(running.serving.METRICS_DIR, "")  # undone after the test
    yield apps
    for app in apps:
        onething(app).close()


def test_serve_refuses_the_development_key(runner, monkeypatch, served):
    from web.app import DEV_SECRET

    monkeypatch.setenv("ONETHING_SECRET_KEY", DEV_SECRET)
    refused = runner("serve", "--no-worker")
    assert refused.exit_code == 1 and served == []
    assert refused.stderr.startswith("error: ONETHING_SECRET_KEY is the published "
                                     "development key")
    assert "Traceback" not in refused.output
    monkeypatch.setenv("ONETHING_DEV", "1")
    assert runner("serve", "--no-worker").exit_code == 0
    assert served[0].secret_key == DEV_SECRET


def test_serve_makes_a_key_for_this_install_and_keeps_it(runner, monkeypatch, served,
                                                         tmp_path):
    from web.app import DEV_SECRET

    monkeypatch.delenv("ONETHING_SECRET_KEY", raising=False)
    kept = tmp_path / "instance" / "secret_key"
    monkeypatch.setenv("ONETHING_SECRET_KEY_FILE", str(kept))
    assert runner("demo", "--bundles", str(tmp_path / "none")).exit_code == 0
    assert runner("serve", "--no-worker").exit_code == 0
    assert runner("serve", "--no-worker").exit_code == 0
    first, second = (app.secret_key for app in served)
    assert first == second == kept.read_text().strip() != DEV_SECRET
    assert len(first) >= 32 and kept.stat().st_mode & 0o077 == 0
    kept.write_text("short\n")
    broken = runner("serve", "--no-worker")
    assert broken.exit_code == 1 and "holds no usable key" in broken.stderr


@pytest.mark.parametrize(("password", "why"), [
    ("Short-1", "needs at least 10 characters"),
    ("onlylowercaseletters", "must mix at least two kinds of characters"),
    ("Desk_Clerk_7", "must not be the username"),
], ids=["too short", "one kind", "the username"])
def test_user_add_keeps_to_the_password_policy(runner, password, why):
    refused = runner("user", "add", "desk_clerk_7", "--password", password)
    assert refused.exit_code == 1 and why in refused.stderr, refused.output
    assert runner("user", "add", "desk_clerk_7", "--password", "window-7-desk").exit_code == 0


def test_user_sign_out_ends_every_browser_session(runner, app):
    from sqlalchemy import select

    from engine.core.db import unit_of_work
    from engine.models import BrowserSession
    from engine.org import sessions, users
    from web.context import onething

    assert runner("user", "add", "desk_clerk_7", "--password", "window-7-desk").exit_code == 0
    with unit_of_work(onething(app).factory) as session:
        uid = users.get_user(session, "desk_clerk_7").id
        for _ in range(2):
            sessions.open_session(session, uid)
    done = runner("user", "sign-out", "desk_clerk_7")
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == "signed desk_clerk_7 out everywhere (2 sessions ended)"
    with unit_of_work(onething(app).factory) as session:
        assert all(row.ended_at is not None
                   for row in session.scalars(select(BrowserSession)))
    assert runner("user", "sign-out", "nobody").stderr.strip() == "error: user 'nobody' not found"
