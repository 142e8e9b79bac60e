"""Tasks (work items): the caller's inbox, claim, unclaim and complete."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from engine.casework import cases, completion, cooperation, permissions, work_items
from engine.core.errors import Forbidden
from web.api.validation import Fields, json_object, paging
from web.context import actor, engine, transaction

bp = Blueprint("tasks", __name__, url_prefix="/tasks")

TABS = ("mine", "group", "all")


@bp.get("")
def inbox() -> dict[str, Any]:
    """Open tasks for the caller: assigned to them (mine), claimable (group), or both.

    Claimable means within the caller's offices, as for claiming and completing.
    """
    query = Fields(request.args, query=True)
    tab = query.text("tab", default="all", choices=TABS) or "all"
    limit, offset = paging(query)
    query.done(allow_unknown=True)
    with transaction() as session:
        rows, total = work_items.inbox(session, actor(), tab=tab, limit=limit, offset=offset)
        items = [work_items.as_dict(w) for w in rows]
    return {"items": items, "total": total, "tab": tab, "limit": limit, "offset": offset}


@bp.get("/<item_id>")
def show(item_id: str) -> dict[str, Any]:
    """One task, to whoever may see it (engine.casework.task_access)."""
    with transaction() as session:
        item = work_items.get(session, item_id)
        if not permissions.may_see_task(session, item, actor()):
            raise Forbidden(f"{actor().username} is not a candidate for this task")
        asked = cooperation.list_for_task(session, item.id)
        return {**work_items.as_dict(item), "cooperation": [cooperation.as_dict(r) for r in asked]}


@bp.post("/<item_id>/claim")
def claim(item_id: str) -> dict[str, Any]:
    """Take a task so no one else works on it."""
    with transaction() as session:
        return work_items.as_dict(work_items.claim(session, item_id, actor()))


@bp.post("/<item_id>/unclaim")
def unclaim(item_id: str) -> dict[str, Any]:
    """Give a claimed task back to its candidates."""
    with transaction() as session:
        return work_items.as_dict(work_items.unclaim(session, item_id, actor()))


@bp.post("/<item_id>/complete")
def complete(item_id: str) -> dict[str, Any]:
    """Validate the form data, finish the task and run the case until it waits again."""
    body = Fields(json_object(optional=True))
    data = body.mapping("data") or {}
    on_behalf_of = body.text("on_behalf_of")
    body.done()
    with transaction() as session:
        case = completion.complete(engine(), session, item_id, data, actor(),
                                   on_behalf_of=on_behalf_of or None)
        task = work_items.as_dict(work_items.get(session, item_id))
        return {"task": task, "case": cases.as_dict(session, case, full=True)}
