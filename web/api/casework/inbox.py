"""The clerk workbench in the API: inbox tabs with counts and keyset paging, delegation,
and the acceptance desk that starts a case for a walk-in applicant."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo

from flask import Blueprint
from pydantic import Field

from engine.casework import cases, delegation, inbox, work_items
from engine.core.errors import FieldError, InvalidInput
from engine.service import desk
from web.api.casework.shapes import Case, WorkItem
from web.api.declare import Body, Query, Reply, operation, read
from web.context import actor, engine, transaction

bp = Blueprint("inbox", __name__)

# a date without a time means the start of that day where the county is
LOCAL = ZoneInfo("Asia/Shanghai")

Tab = Literal["mine", "group", "watched"]
Sort = Literal["due", "created", "applicant", "item", "office", "clock"]


class InboxQuery(Query):
    """Which inbox tab, filtered and sorted how, from where on."""

    tab: Tab = Field("mine", description="mine: assigned to me; group: claimable by my "
                                         "groups in my offices; watched: work on cases I watch")
    sort: Sort = Field("due", description="due (undated last), created, applicant, item, "
                                          "office (rows without one last) or clock (red, "
                                          "yellow, normal, none), then id")
    bundle: str | None = Field(None, description="only cases of this bundle")
    office: str | None = Field(None, description="only cases accepted at this office")
    # a date and a date-time mean different moments (local midnight), so it is read as text
    due_before: str | None = Field(None, description="due before this date (local midnight) "
                                                     "or date-time")
    overdue: bool = Field(False, description="only work past its due time")
    after: str | None = Field(None, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=inbox.MAX_LIMIT, description="page size")


class Delegate(Body):
    to: str = Field(min_length=1, description="username of the new assignee")
    note: str = Field("", max_length=delegation.MAX_NOTE)


class WalkIn(Body):
    """A walk-in application: the bundle, the situational answers and the applicant."""

    bundle: str = Field(min_length=1, description="bundle key")
    answers: dict[str, Any] | None = Field(None, description="situational answers")
    applicant: str = Field(min_length=1, description="applicant's name (person or firm)")
    applicant_user: str = Field(min_length=1, description="the applicant's account")
    new_applicant: bool = Field(False, description="create the account with a generated "
                                                   "password")
    display_name: str = ""
    office: str | None = Field(None, description="needed only for clerks of several offices")


class InboxItem(WorkItem):
    """An inbox row: the task with the case facts a clerk sorts and filters by."""

    case_number: str
    bundle: str
    office: str | None = None
    channel: str | None = None
    case_title: str
    overdue: bool
    applicant_name: str | None = Field(None, description="the applicant, as the case started")
    item_code: str | None = Field(None, description="the one catalogue item the task decides")
    item_name_zh: str | None = None
    item_name_en: str | None = None
    clock_level: Literal["normal", "yellow", "red"] | None = Field(
        None, description="the case's commitment clock level; none before it starts")


class TabCounts(Reply):
    mine: int
    group: int
    watched: int


class InboxPage(Reply):
    """One page of an inbox tab, with the count of every tab."""

    items: list[InboxItem]
    counts: TabCounts
    tab: Tab
    sort: Sort
    limit: int
    next_cursor: str | None = Field(description="pass as 'after' for the next page")


class WalkInStarted(Reply):
    """The started case, and the applicant's account."""

    case: Case
    applicant_user: str
    password: str | None = Field(description="a new account's password, shown once")


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


def inbox_view(query: InboxQuery) -> tuple[str, str, inbox.Filters, inbox.Cursor | None, int]:
    """Tab, sort, filters, cursor and page size the engine pages by."""
    filters = inbox.Filters(bundle=query.bundle or None, office=query.office or None,
                            due_before=parse_moment("due_before", query.due_before),
                            overdue=query.overdue)
    after = inbox.Cursor.decode(query.after) if query.after else None
    return query.tab, query.sort, filters, after, query.limit


def read_query(args: Mapping[str, Any]) -> tuple[str, str, inbox.Filters, inbox.Cursor | None,
                                                 int]:
    """Tab, sort, filters, cursor and page size from a query string (the inbox page)."""
    return inbox_view(read(InboxQuery, args, "query string"))


@bp.get("/inbox")
@operation("workbenchInbox", tag="workbench", query=InboxQuery, ok={200: InboxPage})
def index(query: InboxQuery) -> dict[str, Any]:
    """One page of an inbox tab with every tab's count."""
    tab, sort, filters, after, limit = inbox_view(query)
    with transaction() as session:
        page = inbox.page(session, actor(), tab, filters=filters, sort=sort, after=after,
                          limit=limit)
        owners = inbox.cases_of(session, page.items)
        facts = inbox.facts_of(session, page.items)
        return {"items": [inbox.summary(w, owners[w.case_id], facts) for w in page.items],
                "counts": inbox.counts(session, actor(), filters), "tab": tab, "sort": sort,
                "limit": limit, "next_cursor": page.next_cursor}


@bp.post("/tasks/<item_id>/delegate")
@operation("delegateTask", tag="workbench", body=Delegate, ok={200: WorkItem},
           errors=("403", "404", "409"))
def delegate(item_id: str, json: Delegate) -> dict[str, Any]:
    """Hand a task to another clerk who could work on it."""
    with transaction() as session:
        item = delegation.delegate(session, item_id, actor(), json.to, json.note)
        return work_items.as_dict(item)


@bp.post("/desk/cases")
@operation("startWalkIn", tag="workbench", body=WalkIn, ok={201: WalkInStarted},
           errors=("403", "404", "409"))
def walk_in(json: WalkIn) -> tuple[dict[str, Any], int]:
    """Acceptance desk: start a case at the caller's window for a walk-in applicant."""
    applicant = desk.Applicant(name=json.applicant, username=json.applicant_user,
                               new=json.new_applicant, display_name=json.display_name)
    with transaction() as session:
        started = desk.start_walk_in(engine(), session, actor(), json.bundle,
                                     json.answers or {}, applicant, office=json.office)
        out = {"case": cases.as_dict(session, started.case), "applicant_user": started.applicant,
               "password": started.password}
    return out, 201
