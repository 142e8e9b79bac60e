"""Tasks (work items): the caller's inbox, claim, unclaim and complete."""

from __future__ import annotations

from typing import Any, Literal

from flask import Blueprint
from pydantic import Field

from engine.casework import cases, completion, cooperation, permissions, work_items
from engine.core.errors import Forbidden
from web.api.casework.shapes import Case, WorkItem, WorkItemPage
from web.api.declare import Body, Paged, Reply, operation
from web.context import actor, engine, transaction

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


class TaskList(Paged):
    tab: Literal["mine", "group", "all"] = Field(
        "all", description="assigned to the caller (mine), claimable (group), or both")


class CompleteTask(Body):
    data: dict[str, Any] = Field(default_factory=dict,
                                 description="the fields the task's form declares")
    on_behalf_of: str | None = Field(
        None, description="the principal an agent acts for, under its authorisation")


class Completed(Reply):
    """The task as it ended, and its case as it now stands: its open work items and what
    it waits on, not its history (GET /cases/{ref} has that)."""

    task: WorkItem
    case: Case


@bp.get("")
@operation("inbox", tag="tasks", query=TaskList, ok={200: WorkItemPage})
def inbox(query: TaskList) -> dict[str, Any]:
    """Open tasks for the caller: assigned to them, claimable within their offices, or both."""
    with transaction() as session:
        rows, total = work_items.inbox(session, actor(), tab=query.tab, limit=query.limit,
                                       offset=query.offset)
        items = [work_items.as_dict(w) for w in rows]
    return {"items": items, "total": total, "tab": query.tab, "limit": query.limit,
            "offset": query.offset}


@bp.get("/<item_id>")
@operation("getTask", tag="tasks", ok={200: WorkItem}, errors=("403", "404"))
def show(item_id: str) -> dict[str, Any]:
    """One task, with the co-handling requests asked about it."""
    with transaction() as session:
        item = work_items.get(session, item_id)
        if not permissions.may_see_task(session, item, actor()):
            raise Forbidden(f"{actor().username} is not a candidate for this task")
        asked = cooperation.list_for_task(session, item.id)
        return {**work_items.as_dict(item), "cooperation": [cooperation.as_dict(r) for r in asked]}


@bp.post("/<item_id>/claim")
@operation("claimTask", tag="tasks", ok={200: WorkItem}, errors=("403", "404", "409"))
def claim(item_id: str) -> dict[str, Any]:
    """Take a task so no one else works on it."""
    with transaction() as session:
        return work_items.as_dict(work_items.claim(session, item_id, actor()))


@bp.post("/<item_id>/unclaim")
@operation("unclaimTask", tag="tasks", ok={200: WorkItem}, errors=("403", "404", "409"))
def unclaim(item_id: str) -> dict[str, Any]:
    """Give a claimed task back to its candidates."""
    with transaction() as session:
        return work_items.as_dict(work_items.unclaim(session, item_id, actor()))


@bp.post("/<item_id>/complete")
@operation("completeTask", tag="tasks", body=CompleteTask, optional_body=True,
           ok={200: Completed}, errors=("403", "404", "409"))
def complete(item_id: str, json: CompleteTask) -> dict[str, Any]:
    """Validate the form data, finish the task and run the case until it waits again."""
    with transaction() as session:
        case = completion.complete(engine(), session, item_id, json.data, actor(),
                                   on_behalf_of=json.on_behalf_of or None)
        task = work_items.as_dict(work_items.get(session, item_id))
        return {"task": task, "case": cases.as_dict(session, case, now_open=True)}
