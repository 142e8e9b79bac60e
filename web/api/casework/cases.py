"""Cases: start one, list and look at them, cancel, retry after an error."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from engine.casework import agency, case_data, cases, permissions, withdrawal
from web import refs
from web.api.validation import Fields, json_object, paging
from web.context import actor, engine, transaction

bp = Blueprint("cases", __name__, url_prefix="/cases")

STATUSES = ("running", "completed", "cancelled", "error")


@bp.post("")
def start() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Start a case of a bundle (or process id) and run it until it waits."""
    body = Fields(json_object())
    key = body.text("process", required=True)
    data = body.mapping("data")
    business_key = body.text("business_key")
    version = body.integer("version", minimum=1, maximum=2**31 - 1)
    title = body.text("title")
    on_behalf_of = body.text("on_behalf_of")
    office = body.text("office")
    channel = body.text("channel")
    body.done()
    assert key is not None  # done() raised otherwise
    with transaction() as session:
        who, data = actor(), data or {}
        if on_behalf_of:
            who = agency.for_start(session, who, on_behalf_of, key, version=version)
        case = cases.start_case(engine(), session, key, data, actor=who,
                                business_key=business_key, version=version, title=title,
                                office=office, channel=channel)
        out = cases.as_dict(session, case, full=True)
    return out, 201, {"Location": f"{request.path}/{out['id']}"}


@bp.get("")
def index() -> dict[str, Any]:
    """List cases, newest first, filtered by status and bundle."""
    query = Fields(request.args, query=True)
    status = query.text("status", choices=STATUSES)
    bundle = query.text("bundle")
    limit, offset = paging(query)
    query.done(allow_unknown=True)
    with transaction() as session:
        rows, total = cases.list_cases(session, status=status, bundle=bundle, limit=limit,
                                       offset=offset, actor=actor())
        items = [cases.as_dict(session, c) for c in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@bp.get("/<case_ref>")
def show(case_ref: str) -> dict[str, Any]:
    """One case by id or number, with its work items, waits and audit trail."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        permissions.check_visible(session, case, actor())
        return cases.as_dict(session, case, full=True)


@bp.get("/<case_ref>/data")
def data(case_ref: str) -> dict[str, Any]:
    """The case's current data its forms and decisions declare (staff with work on it)."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        return {"case_id": case.id, "items": case_data.view(engine(), session, case, actor())}


@bp.post("/<case_ref>/cancel")
def cancel(case_ref: str) -> dict[str, Any]:
    """Cancel a running case (its starter or an administrator)."""
    body = Fields(json_object(optional=True))
    reason = body.text("reason", default="") or ""
    body.done()
    with transaction() as session:
        case = cases.cancel_case(engine(), session, refs.case_ref(case_ref), actor(), reason=reason)
        return cases.as_dict(session, case, full=True)


@bp.post("/<case_ref>/withdraw")
def withdraw(case_ref: str) -> dict[str, Any]:
    """Withdraw the application (its applicant, or its agent for the whole chain)."""
    body = Fields(json_object())
    reason = body.text("reason", required=True)
    body.done()
    with transaction() as session:
        case = withdrawal.withdraw(engine(), session, refs.case_ref(case_ref), actor(),
                                   reason or "")
        return cases.as_dict(session, case, full=True)


@bp.post("/<case_ref>/retry")
def retry(case_ref: str) -> dict[str, Any]:
    """Run a case stopped by an error again, optionally with corrected data."""
    body = Fields(json_object(optional=True))
    data = body.mapping("data")
    body.done()
    with transaction() as session:
        case = cases.retry_case(engine(), session, refs.case_ref(case_ref), actor(), data=data)
        return cases.as_dict(session, case, full=True)
