"""The clerk workbench in the API: inbox tabs with counts and keyset paging, delegation,
and the acceptance desk that starts a case for a walk-in applicant."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, request

from engine.casework import cases, delegation, inbox, work_items
from engine.core.errors import FieldError, InvalidInput
from engine.service import desk
from web.api.validation import Fields, json_object
from web.context import actor, engine, transaction

bp = Blueprint("inbox", __name__)

# a date without a time means the start of that day where the county is
LOCAL = ZoneInfo("Asia/Shanghai")


def parse_moment(name: str, text: str | None) -> datetime | None:
    """An ISO date (local midnight) or date-time (with offset, else local)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name} is not an ISO date or date-time",
                           [FieldError(name, "use 2026-03-01 or 2026-03-01T17:30:00+08:00")]
                           ) from None
    if len(text) == 10:
        moment = datetime.combine(moment.date(), time(), LOCAL)
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL)


def read_query(args: Any) -> tuple[str, str, inbox.Filters, inbox.Cursor | None, int]:
    """Tab, sort, filters, cursor and page size from a query string (API and pages)."""
    query = Fields(args, query=True)
    tab = query.text("tab", default="mine", choices=inbox.TABS) or "mine"
    sort = query.text("sort", default="due", choices=inbox.SORTS) or "due"
    limit = query.integer("limit", default=50, minimum=1, maximum=inbox.MAX_LIMIT) or 50
    filters = inbox.Filters(bundle=query.text("bundle") or None,
                            office=query.text("office") or None,
                            due_before=parse_moment("due_before", query.text("due_before")),
                            overdue=query.flag("overdue"))
    after = query.text("after")
    query.done(allow_unknown=True)
    return tab, sort, filters, inbox.Cursor.decode(after) if after else None, limit


@bp.get("/inbox")
def index() -> dict[str, Any]:
    """One page of an inbox tab (mine, group, watched) with the count of every tab."""
    tab, sort, filters, after, limit = read_query(request.args)
    with transaction() as session:
        page = inbox.page(session, actor(), tab, filters=filters, sort=sort, after=after,
                          limit=limit)
        owners = inbox.cases_of(session, page.items)
        return {"items": [inbox.summary(w, owners[w.case_id]) for w in page.items],
                "counts": inbox.counts(session, actor(), filters), "tab": tab, "sort": sort,
                "limit": limit, "next_cursor": page.next_cursor}


@bp.post("/tasks/<item_id>/delegate")
def delegate(item_id: str) -> dict[str, Any]:
    """Hand a task to another clerk who could work on it."""
    body = Fields(json_object())
    to = body.text("to", required=True)
    note = body.text("note", default="") or ""
    body.done()
    assert to is not None  # done() raised otherwise
    with transaction() as session:
        return work_items.as_dict(delegation.delegate(session, item_id, actor(), to, note))


@bp.post("/desk/cases")
def walk_in() -> tuple[dict[str, Any], int]:
    """Start a case at the caller's window for a walk-in applicant (channel 'window')."""
    body = Fields(json_object())
    bundle = body.text("bundle", required=True)
    answers = body.mapping("answers") or {}
    name = body.text("applicant", required=True)
    username = body.text("applicant_user", required=True)
    new = body.flag("new_applicant")
    display_name = body.text("display_name", default="") or ""
    office = body.text("office")
    body.done()
    assert bundle is not None and name is not None and username is not None
    with transaction() as session:
        started = desk.start_walk_in(
            engine(), session, actor(), bundle, answers,
            desk.Applicant(name=name, username=username, new=new, display_name=display_name),
            office=office)
        out = {"case": cases.as_dict(session, started.case), "applicant_user": started.applicant,
               "password": started.password}
    return out, 201
