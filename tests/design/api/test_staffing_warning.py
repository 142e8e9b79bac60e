"""The deploy reply names a candidate group nobody belongs to, and the CLI prints it."""

from __future__ import annotations

from tests.design.test_staffing_warnings import _bundle
from tests.web.support import upload


def _write(tmp_path):
    paths = []
    for name, content in _bundle().items():
        path = tmp_path / name
        path.write_bytes(content)
        paths.append(path)
    return paths


def test_the_deploy_reply_names_the_group_with_nobody(client, admin, make_user, tmp_path):
    make_user("clerk_a", "window_clerk")
    make_user("reviewer_a", "reviewer")
    response = upload(client, admin, *_write(tmp_path))
    assert response.status_code == 201, response.get_json()
    named = [w for w in response.get_json()["warnings"] if "has nobody" in w["message"]]
    assert [(w["element"], w["file"]) for w in named] == [("inspect", "staffed.bpmn")]
    assert "inspector@branch_yangan" in named[0]["message"]


def test_the_cli_deploy_prints_it(runner, tmp_path):
    result = runner("deploy", *map(str, _write(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "candidate group 'inspector@branch_yangan'" in result.stderr
    assert result.stdout.startswith("created: staffed")
