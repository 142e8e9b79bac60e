"""Supervision (督办): the queue of yellow and red cases, orders, their replies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, request

from engine.casework import cases
from engine.core.errors import FieldError, InvalidInput, NotFound
from engine.models import SupervisionOrder
from engine.timelimits import supervision
from web import refs
from web.api.validation import Fields, json_object
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("supervision", __name__, url_prefix="/supervision")

LEVELS = ("yellow", "red")
STATES = ("open", "escalated", "replied")


def _deadline(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidInput("deadline is not a date-time / 期限格式不正确", [FieldError(
            "deadline", "must be an ISO 8601 date-time with an offset "
                        "(2026-10-13T17:00:00+08:00)")])
    return moment


def _order(session: Any, order_id: int) -> SupervisionOrder:
    """Order ORDER_ID if the caller may see it (a supervisor, or its addressee), else 404."""
    row = session.get(SupervisionOrder, order_id) if order_id <= MAX_ID else None
    if row is not None:
        for seen in supervision.orders(session, actor(), case_id=row.case_id):
            if seen.id == order_id:
                return seen
    raise NotFound(f"supervision order {order_id} not found / 督办单不存在")


@bp.get("/queue")
def queue() -> dict[str, Any]:
    """Running cases whose clock is yellow or red, red first (supervisors and leaders)."""
    query = Fields(request.args, query=True)
    level = query.text("level", choices=LEVELS)
    query.done()
    with transaction() as session:
        return {"items": supervision.queue(session, actor(), level=level)}


@bp.post("/orders")
def issue() -> tuple[dict[str, Any], int]:
    """Issue an order on a case to a user or a group, to be answered by its deadline."""
    body = Fields(json_object())
    case_ref = body.text("case", required=True)
    message = body.text("message", required=True)
    deadline = body.text("deadline", required=True)
    to_user, to_group = body.text("to_user"), body.text("to_group")
    body.done()
    assert case_ref and message and deadline
    if not (to_user or to_group):
        raise InvalidInput("name who answers / 请指定督办对象", [FieldError(
            "to_user", "give to_user or to_group")])
    when = _deadline(deadline)
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        order = supervision.issue(session, case.id, actor(), message=message, deadline=when,
                                  to_user=to_user, to_group=to_group)
        return supervision.as_dict(order), 201


@bp.get("/orders")
def listing() -> dict[str, Any]:
    """Orders the caller may see: all for supervisors, else those addressed to them."""
    query = Fields(request.args, query=True)
    state = query.text("state", choices=STATES)
    case_ref = query.text("case")
    query.done()
    with transaction() as session:
        case_id = (cases.get_case(session, refs.case_ref(case_ref)).id
                   if case_ref is not None else None)
        rows = supervision.orders(session, actor(), case_id=case_id, state=state)
        return {"items": [supervision.as_dict(o) for o in rows]}


@bp.get("/orders/<int:order_id>")
def one(order_id: int) -> dict[str, Any]:
    """One order."""
    with transaction() as session:
        return supervision.as_dict(_order(session, order_id))


@bp.post("/orders/<int:order_id>/reply")
def reply(order_id: int) -> dict[str, Any]:
    """Answer an order (its addressee, a member of its group, or a supervisor)."""
    body = Fields(json_object())
    text = body.text("reply", required=True)
    body.done()
    assert text is not None
    if order_id > MAX_ID:
        raise NotFound(f"supervision order {order_id} not found / 督办单不存在")
    with transaction() as session:
        return supervision.as_dict(supervision.reply(session, order_id, actor(), text))
