"""Cases: start one, list and look at them, cancel, withdraw, retry after an error."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import Blueprint, request
from pydantic import Field
from sqlalchemy.orm import Session

from engine.casework import agency, case_data, case_pages, cases, permissions, withdrawal
from engine.models import Case as CaseRow
from web import refs
from web.api.casework.shapes import Case, CasePage, CaseStatus, WorkItem
from web.api.declare import Body, Paged, Query, Reply, operation
from web.context import actor, engine, transaction

bp = Blueprint("cases", __name__, url_prefix="/cases")

CHANNELS = Literal["online", "window", "appointment", "after_hours", "door_to_door",
                   "mobile_window"]


class StartCase(Body):
    """What a case starts with: the bundle (or process), its data and where it came in."""

    process: str = Field(min_length=1, description="bundle key or process id")
    data: dict[str, Any] | None = Field(
        None, description="the start form's fields (a bundle with a guide: its application)")
    business_key: str | None = None
    version: int | None = Field(None, ge=1, le=2**31 - 1)
    title: str | None = None
    on_behalf_of: str | None = Field(
        None, description="the principal an agent applies for (needs scope 'apply')")
    office: str | None = Field(
        None, description="code of the accepting office; any office may accept any bundle")
    channel: CHANNELS | None = None


class CaseList(Paged):
    status: CaseStatus | None = Field(None, description="only cases in this status")
    bundle: str | None = Field(None, description="only this bundle key")


class CancelCase(Body):
    reason: str = ""


class WithdrawCase(Body):
    reason: str = Field(min_length=1, max_length=500, description="why it is withdrawn")


class RetryCase(Body):
    data: dict[str, Any] | None = Field(None, description="corrected data for the failed step")


class Keyset(Query):
    """A page after the cursor the previous page ended with."""

    after: str | None = Field(None, description="next_cursor of the previous page")
    limit: int = Field(100, ge=1, le=case_pages.MAX_LIMIT, description="page size")


class WorkItemQuery(Keyset):
    state: Literal["open", "completed", "cancelled"] | None = Field(
        None, description="only work items in this state")


class AuditQuery(Keyset):
    order: Literal["oldest", "newest"] = Field("oldest", description="oldest or newest first")


class WorkItemKeyset(Reply):
    """A page of a case's work items, oldest first."""

    items: list[WorkItem]
    next_cursor: str | None = Field(description="pass as 'after' for the next page")


class AuditEntry(Reply):
    id: int
    at: datetime
    actor: str | None = None
    action: str
    task_id: str | None = None
    element_id: str | None = None
    before: Any = None
    after: Any = None
    detail: Any = None


class AuditKeyset(Reply):
    """A page of a case's audit trail: who did what."""

    items: list[AuditEntry]
    next_cursor: str | None = Field(description="pass as 'after' for the next page")


class DataItem(Reply):
    name: str
    title: str
    value: Any


class CaseData(Reply):
    """The case's current data its forms and decisions declare."""

    case_id: int
    items: list[DataItem]


@bp.post("")
@operation("startCase", tag="cases", body=StartCase, ok={201: Case}, errors=("403", "404"))
def start(json: StartCase) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Start a case and run it until it waits."""
    with transaction() as session:
        who = actor()
        if json.on_behalf_of:
            who = agency.for_start(session, who, json.on_behalf_of, json.process,
                                   version=json.version)
        case = cases.start_case(engine(), session, json.process, json.data or {}, actor=who,
                                business_key=json.business_key, version=json.version,
                                title=json.title, office=json.office, channel=json.channel)
        out = cases.as_dict(session, case, full=True)
    return out, 201, {"Location": f"{request.path}/{out['id']}"}


@bp.get("")
@operation("listCases", tag="cases", query=CaseList, ok={200: CasePage})
def index(query: CaseList) -> dict[str, Any]:
    """List cases, newest first."""
    with transaction() as session:
        rows, total = cases.list_cases(session, status=query.status, bundle=query.bundle,
                                       limit=query.limit, offset=query.offset, actor=actor())
        items = [cases.as_dict(session, c) for c in rows]
    return {"items": items, "total": total, "limit": query.limit, "offset": query.offset}


@bp.get("/<case_ref>")
@operation("getCase", tag="cases", ok={200: Case}, errors=("403", "404"))
def show(case_ref: str) -> dict[str, Any]:
    """One case with its open work items, what it waits on and its co-handling requests;
    its whole work list and audit trail are paged at /work-items and /audit."""
    with transaction() as session:
        return cases.as_dict(session, _visible(session, case_ref), full=True)


@bp.get("/<case_ref>/work-items")
@operation("listCaseWorkItems", tag="cases", query=WorkItemQuery, ok={200: WorkItemKeyset},
           errors=("403", "404"))
def work_items(case_ref: str, query: WorkItemQuery) -> dict[str, Any]:
    """The case's work items, oldest first, a page at a time."""
    with transaction() as session:
        page = case_pages.work_items(session, _visible(session, case_ref).id,
                                     state=query.state, after=query.after, limit=query.limit)
    return {"items": page.items, "next_cursor": page.next_cursor}


@bp.get("/<case_ref>/audit")
@operation("listCaseAudit", tag="cases", query=AuditQuery, ok={200: AuditKeyset},
           errors=("403", "404"))
def audit_trail(case_ref: str, query: AuditQuery) -> dict[str, Any]:
    """The case's audit trail (who did what, when), a page at a time."""
    with transaction() as session:
        page = case_pages.trail(session, _visible(session, case_ref).id, after=query.after,
                                limit=query.limit, newest_first=query.order == "newest")
    return {"items": page.items, "next_cursor": page.next_cursor}


def _visible(session: Session, case_ref: str) -> CaseRow:
    """The case CASE_REF names, if the caller may look at it."""
    case = cases.get_case(session, refs.case_ref(case_ref))
    permissions.check_visible(session, case, actor())
    return case


@bp.get("/<case_ref>/data")
@operation("getCaseData", tag="cases", ok={200: CaseData}, errors=("403", "404"))
def data(case_ref: str) -> dict[str, Any]:
    """The case's current data its forms and decisions declare (staff with work on the case)."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        return {"case_id": case.id, "items": case_data.view(engine(), session, case, actor())}


@bp.post("/<case_ref>/cancel")
@operation("cancelCase", tag="cases", body=CancelCase, optional_body=True, ok={200: Case},
           errors=("403", "404", "409"))
def cancel(case_ref: str, json: CancelCase) -> dict[str, Any]:
    """Cancel a running case."""
    with transaction() as session:
        case = cases.cancel_case(engine(), session, refs.case_ref(case_ref), actor(),
                                 reason=json.reason)
        return cases.as_dict(session, case, full=True)


@bp.post("/<case_ref>/withdraw")
@operation("withdrawCase", tag="cases", body=WithdrawCase, ok={200: Case},
           errors=("403", "404", "409"))
def withdraw(case_ref: str, json: WithdrawCase) -> dict[str, Any]:
    """Withdraw an application before it is decided (its applicant, or its agent for the
    whole chain)."""
    with transaction() as session:
        case = withdrawal.withdraw(engine(), session, refs.case_ref(case_ref), actor(),
                                   json.reason)
        return cases.as_dict(session, case, full=True)


@bp.post("/<case_ref>/retry")
@operation("retryCase", tag="cases", body=RetryCase, optional_body=True, ok={200: Case},
           errors=("403", "404", "409"))
def retry(case_ref: str, json: RetryCase) -> dict[str, Any]:
    """Run a case stopped by an error again."""
    with transaction() as session:
        case = cases.retry_case(engine(), session, refs.case_ref(case_ref), actor(),
                                data=json.data)
        return cases.as_dict(session, case, full=True)
