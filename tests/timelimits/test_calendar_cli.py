"""onething calendar check: coverage per year, non-zero exit for an uncovered year."""

from __future__ import annotations

from click.testing import CliRunner

from web.cli import main


def test_calendar_check(shipped_calendar):
    runner = CliRunner()
    done = runner.invoke(main, ["calendar", "check", "2027"])
    assert done.exit_code == 0 and "source file (2027.yaml)" in done.output
    assert "13 holidays" in done.output and "unconfirmed" in done.output
    assert "confirmed" in runner.invoke(main, ["calendar", "check", "2026"]).output
    missing = runner.invoke(main, ["calendar", "check", "2031"])
    assert missing.exit_code == 1 and "source none" in missing.output
