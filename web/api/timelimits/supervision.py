"""Supervision (督办): the queue of yellow and red cases, orders, their replies."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import Blueprint
from pydantic import AwareDatetime, Field

from engine.casework import cases
from engine.core.errors import FieldError, InvalidInput, NotFound
from engine.models import SupervisionOrder as OrderRow
from engine.timelimits import supervision
from engine.timelimits.supervision import MAX_MESSAGE
from web import refs
from web.api.declare import Body, Exact, Reply, operation
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("supervision", __name__, url_prefix="/supervision")

OrderState = Literal["open", "escalated", "replied"]


class IssueOrder(Body):
    """An order (督办) on a case, to a user or a group, to be answered by its deadline."""

    case: str = Field(min_length=1, description="case id or number")
    message: str = Field(max_length=MAX_MESSAGE)
    deadline: AwareDatetime = Field(
        strict=False, description="a future time with an offset; escalated to the leaders "
                                  "when unanswered by then")
    # as long as the columns that keep them
    to_user: str | None = Field(None, max_length=80)
    to_group: str | None = Field(None, max_length=120)

    def addressee(self) -> None:
        """Refuse an order that names no one to answer it."""
        if not (self.to_user or self.to_group):
            raise InvalidInput("name who answers / 请指定督办对象", [FieldError(
                "to_user", "give to_user or to_group")])


class ReplyOrder(Body):
    """The answer to an order."""

    reply: str = Field(max_length=MAX_MESSAGE)


class QueueQuery(Exact):
    level: Literal["yellow", "red"] | None = Field(None, description="only this level")


class OrderQuery(Exact):
    state: OrderState | None = Field(None, description="only this state")
    case: str | None = Field(None, description="only this case (id or number)")


class QueueEntry(Reply):
    """A running case whose clock is yellow or red."""

    case_id: int
    number: str
    title: str
    bundle: str
    office: str | None = None
    level: Literal["yellow", "red"]
    due: datetime
    paused: bool
    confirmed: bool


class SupervisionQueue(Reply):
    """The queue, red first, then by due time."""

    items: list[QueueEntry]


class SupervisionOrder(Reply):
    """An order, its reply and its escalation."""

    id: int
    case_id: int
    issued_by: str
    to_user: str | None = None
    to_group: str | None = None
    message: str
    deadline: datetime
    state: OrderState
    reply: str | None = None
    replied_by: str | None = None
    replied_at: datetime | None = None
    escalated_to: str | None = None
    escalated_at: datetime | None = None
    created_at: datetime


class SupervisionOrderList(Reply):
    """Orders, oldest first."""

    items: list[SupervisionOrder]


def _order(session: Any, order_id: int) -> OrderRow:
    """Order ORDER_ID if the caller may see it (a supervisor, or its addressee), else 404."""
    row = session.get(OrderRow, order_id) if order_id <= MAX_ID else None
    if row is not None:
        for seen in supervision.orders(session, actor(), case_id=row.case_id):
            if seen.id == order_id:
                return seen
    raise NotFound(f"supervision order {order_id} not found / 督办单不存在")


@bp.get("/queue")
@operation("supervisionQueue", tag="supervision", query=QueueQuery,
           ok={200: SupervisionQueue}, errors=("403",))
def queue(query: QueueQuery) -> dict[str, Any]:
    """Running yellow and red cases, red first (supervisors, leaders)."""
    with transaction() as session:
        return {"items": supervision.queue(session, actor(), level=query.level)}


@bp.post("/orders")
@operation("issueOrder", tag="supervision", body=IssueOrder, ok={201: SupervisionOrder},
           errors=("403", "404"))
def issue(json: IssueOrder) -> tuple[dict[str, Any], int]:
    """Issue a supervision order (督办) on a case."""
    json.addressee()
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(json.case))
        order = supervision.issue(session, case.id, actor(), message=json.message,
                                  deadline=json.deadline, to_user=json.to_user,
                                  to_group=json.to_group)
        return supervision.as_dict(order), 201


@bp.get("/orders")
@operation("listOrders", tag="supervision", query=OrderQuery, ok={200: SupervisionOrderList},
           errors=("404",))
def listing(query: OrderQuery) -> dict[str, Any]:
    """Orders: all for supervisors, else those addressed to the caller."""
    with transaction() as session:
        case_id = (cases.get_case(session, refs.case_ref(query.case)).id
                   if query.case is not None else None)
        rows = supervision.orders(session, actor(), case_id=case_id, state=query.state)
        return {"items": [supervision.as_dict(o) for o in rows]}


@bp.get("/orders/<int:order_id>")
@operation("getOrder", tag="supervision", ok={200: SupervisionOrder}, errors=("404",))
def one(order_id: int) -> dict[str, Any]:
    """One order."""
    with transaction() as session:
        return supervision.as_dict(_order(session, order_id))


@bp.post("/orders/<int:order_id>/reply")
@operation("replyOrder", tag="supervision", body=ReplyOrder, ok={200: SupervisionOrder},
           errors=("403", "404", "409"))
def reply(order_id: int, json: ReplyOrder) -> dict[str, Any]:
    """Answer an order (its addressee or a supervisor)."""
    if order_id > MAX_ID:
        raise NotFound(f"supervision order {order_id} not found / 督办单不存在")
    with transaction() as session:
        return supervision.as_dict(supervision.reply(session, order_id, actor(), json.reply))
