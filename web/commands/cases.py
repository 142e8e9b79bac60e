"""cases list and cases show: read cases the way a support person needs them."""

from __future__ import annotations

from typing import Any

import click

from engine.casework import case_pages
from engine.casework import cases as engine_cases
from engine.core.db import unit_of_work
from web import refs
from web.commands.state import CliState, pass_state

STATUSES = ("running", "completed", "cancelled", "error")


def _short(stamp: str | None) -> str:
    return stamp[:19].replace("T", " ") if stamp else "-"


@click.group("cases")
def cases_group() -> None:
    """Look at cases."""


@cases_group.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only cases in this status.")
@click.option("--bundle", help="Only cases of this bundle key.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@pass_state
def list_cases(state: CliState, status: str | None, bundle: str | None, limit: int) -> None:
    """List cases, newest first."""
    with unit_of_work(state.factory()) as session:
        rows, total = engine_cases.list_cases(session, status=status, bundle=bundle,
                                              limit=limit)
        shown = [engine_cases.as_dict(session, c) for c in rows]
    for case in shown:
        click.echo(f"{case['number']:<16} {case['id']:>6}  {case['status']:<10} "
                   f"{case['bundle']:<24} {_short(case['updated_at'])}  {case['title']}")
    click.echo(f"{len(shown)} of {total} cases")


def _work_item_line(item: dict[str, Any]) -> str:
    who = item["assignee"] or item["completed_by"] or ", ".join(
        item["candidate_groups"] + item["candidate_users"]) or "anyone"
    due = f"  due {_short(item['due_at'])}" if item["due_at"] else ""
    return f"  {item['state']:<10} {item['title']} ({item['element']})  {who}{due}  {item['id']}"


def _wait_line(wait: dict[str, Any]) -> str:
    if "due_at" in wait:
        return f"  {wait['kind']:<10} due {_short(wait['due_at'])}"
    correlation = f" {wait['correlation']}" if wait.get("correlation") else ""
    return f"  {wait['kind']:<10} {wait['name']}{correlation}"


@cases_group.command("show")
@click.argument("case_ref", metavar="ID_OR_NUMBER")
@click.option("--history", type=click.IntRange(0), default=15, show_default=True,
              help="How many of the latest audit events to show.")
@pass_state
def show_case(state: CliState, case_ref: str, history: int) -> None:
    """Show one case: status, error, open work items, what it waits for, recent history."""
    with unit_of_work(state.factory()) as session:
        found = engine_cases.get_case(session, refs.case_ref(case_ref))
        case = engine_cases.as_dict(session, found, now_open=True)
        newest = case_pages.trail(session, found.id, limit=max(history, 1),
                                  newest_first=True).items
    lines = [f"{case['number']} (id {case['id']}): {case['title']}",
             f"  status     {case['status']}",
             f"  bundle     {case['bundle']} / {case['process']} "
             f"(deployment {case['deployment_id']})",
             f"  started    {_short(case['created_at'])} by {case['started_by']}",
             f"  updated    {_short(case['updated_at'])}"]
    if case["business_key"]:
        lines.append(f"  business   {case['business_key']}")
    if case["error"]:
        lines.append(f"  error      {case['error']['message']} "
                     f"(at {case['error']['element'] or 'unknown element'})")
    lines.append("open work items:" if case["work_items"] else "open work items: none")
    lines += [_work_item_line(w) for w in case["work_items"]]
    lines.append("waiting on:" if case["waiting_on"] else "waiting on: nothing but people")
    lines += [_wait_line(w) for w in case["waiting_on"]]
    recent = list(reversed(newest)) if history else []
    if recent:
        lines.append("history:")
        lines += [f"  {_short(e['at'])}  {e['actor']:<16} {e['action']}" for e in recent]
    click.echo("\n".join(lines))
