"""Supervision (督办): the queue of yellow and red cases, orders with deadlines, escalation.

An order not answered by its deadline is escalated to the leaders (group ``leader``) by a
``supervision_escalate`` job due at the deadline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework import staffing
from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.core.extensions import job_kind
from engine.models import Case, CommitmentClock, Job, SupervisionOrder
from engine.models.clocks import CASE_SCOPE

log = logging.getLogger(__name__)

SUPERVISORS = frozenset({"supervisor", "leader"})
LEADER_GROUP = "leader"
ESCALATE_KIND = "supervision_escalate"
MAX_MESSAGE = 4000


def _require_supervisor(actor: Actor) -> None:
    if not (actor.is_admin or actor.groups & SUPERVISORS):
        raise Forbidden("only supervisors may do this / 仅督办人员可操作")


def queue(session: Session, actor: Actor, *, level: str | None = None) -> list[dict[str, Any]]:
    """Running cases whose case clock is yellow or red, red first, then by due time."""
    _require_supervisor(actor)
    levels = (level,) if level else ("red", "yellow")
    rows = session.execute(
        select(CommitmentClock, Case).join(Case, Case.id == CommitmentClock.case_id)
        .where(CommitmentClock.scope == CASE_SCOPE, CommitmentClock.finished_at.is_(None),
               CommitmentClock.level.in_(levels))
        .order_by(CommitmentClock.level, CommitmentClock.due_at)).all()
    return [{"case_id": case.id, "number": case.number, "title": case.title,
             "bundle": case.bundle_key, "office": case.office_code, "level": clk.level,
             "due": clk.due_at.isoformat(), "paused": clk.paused_since is not None,
             "confirmed": clk.confirmed} for clk, case in rows]


def unstaffed(session: Session, actor: Actor, *, limit: int = 200) -> list[dict[str, Any]]:
    """Open tasks no active account can take (无人可办), oldest first, for the queue."""
    _require_supervisor(actor)
    return [{"case_id": t.case_id, "number": t.case_number, "title": t.case_title,
             "bundle": t.bundle, "office": t.office, "task": t.title,
             "work_item_id": t.work_item_id, "groups": list(t.groups), "users": list(t.users),
             "created_at": t.created_at.isoformat(),
             "due": t.due_at.isoformat() if t.due_at else None}
            for t in staffing.unstaffed_tasks(session, limit=limit)]


def issue(session: Session, case_id: int, actor: Actor, *, message: str, deadline: datetime,
          to_user: str | None = None, to_group: str | None = None) -> SupervisionOrder:
    """Issue an order on a case to a user or group, to be answered by DEADLINE."""
    _require_supervisor(actor)
    if session.get(Case, case_id) is None:
        raise NotFound(f"no case {case_id} / 办件不存在")
    if not (to_user or to_group):
        raise InvalidInput("name a user or a group to answer / 请指定督办对象")
    if not message or not message.strip() or len(message) > MAX_MESSAGE:
        raise InvalidInput("write the order (up to 4000 characters) / 请填写督办内容")
    now = clock.now()
    if deadline.tzinfo is None or deadline <= now:
        raise InvalidInput("the deadline must be a future time with a zone / 期限须晚于现在")
    order = SupervisionOrder(case_id=case_id, issued_by=actor.label, to_user=to_user,
                             to_group=to_group, message=message.strip(), deadline=deadline,
                             state="open", created_at=now)
    session.add(order)
    session.flush()
    session.add(Job(kind=ESCALATE_KIND, case_id=case_id, key=f"order:{order.id}",
                    due_at=deadline, status="pending", attempts=0, max_attempts=5,
                    payload={"order": order.id}, created_at=now))
    audit.record(session, actor, "supervision.issued", case_id=case_id,
                 after={"order": order.id, "deadline": deadline.isoformat()},
                 to_user=to_user, to_group=to_group)
    return order


def _get(session: Session, order_id: int) -> SupervisionOrder:
    order = session.get(SupervisionOrder, order_id, with_for_update=True)
    if order is None:
        raise NotFound(f"no supervision order {order_id} / 督办单不存在")
    return order


def reply(session: Session, order_id: int, actor: Actor, text: str) -> SupervisionOrder:
    """Answer an order (its addressee, a member of its group, or a supervisor)."""
    order = _get(session, order_id)
    addressed = (actor.username == order.to_user
                 or (order.to_group is not None and order.to_group in actor.groups))
    if not (addressed or actor.is_admin or actor.groups & SUPERVISORS):
        raise Forbidden("the order is not addressed to you / 该督办单不是发给您的")
    if order.state not in ("open", "escalated"):
        raise Conflict(f"the order is {order.state} / 督办单已{order.state}")
    if not text or not text.strip() or len(text) > MAX_MESSAGE:
        raise InvalidInput("write the reply (up to 4000 characters) / 请填写回复")
    order.reply, order.replied_by, order.replied_at = text.strip(), actor.label, clock.now()
    order.state = "replied"
    audit.record(session, actor, "supervision.replied", case_id=order.case_id,
                 after={"order": order.id, "state": "replied"})
    return order


def escalate_if_unanswered(session: Session, order_id: int, now: datetime) -> bool:
    """Escalate the order to the leaders when still open at its deadline; True if it was."""
    order = _get(session, order_id)
    if order.state != "open" or now < order.deadline:
        return False
    order.state, order.escalated_to, order.escalated_at = "escalated", LEADER_GROUP, now
    audit.record(session, "engine", "supervision.escalated", case_id=order.case_id,
                 before={"state": "open"}, after={"state": "escalated", "to": LEADER_GROUP},
                 order=order.id)
    log.info("supervision order %s on case %s escalated", order.id, order.case_id)
    return True


def orders(session: Session, actor: Actor, *, case_id: int | None = None,
           state: str | None = None) -> list[SupervisionOrder]:
    """Orders a person may see: all for supervisors, else those addressed to them."""
    query = select(SupervisionOrder).order_by(SupervisionOrder.id)
    if case_id is not None:
        query = query.where(SupervisionOrder.case_id == case_id)
    if state is not None:
        query = query.where(SupervisionOrder.state == state)
    found = list(session.scalars(query))
    if actor.is_admin or actor.groups & SUPERVISORS:
        return found
    return [o for o in found if o.to_user == actor.username
            or (o.to_group is not None and o.to_group in actor.groups)]


def as_dict(order: SupervisionOrder) -> dict[str, Any]:
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {"id": order.id, "case_id": order.case_id, "issued_by": order.issued_by,
            "to_user": order.to_user, "to_group": order.to_group, "message": order.message,
            "deadline": order.deadline.isoformat(), "state": order.state,
            "reply": order.reply, "replied_by": order.replied_by,
            "replied_at": iso(order.replied_at), "escalated_to": order.escalated_to,
            "escalated_at": iso(order.escalated_at), "created_at": order.created_at.isoformat()}


@job_kind(ESCALATE_KIND)
def _escalation(rt: Any) -> Callable[[Session, Job], None]:
    def run(session: Session, job: Job) -> None:
        escalate_if_unanswered(session, int(job.payload["order"]), clock.now())
    return run
