"""The in-app inbox: the caller's notifications, unread first; mark one read."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import Blueprint
from pydantic import Field

from adapters.notify import LogNotifier
from engine.service.notifications import delivery, outbox
from web.api.declare import Body, Paged, Reply, operation
from web.context import actor, transaction

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


class NotificationFilter(Paged):
    unread: bool = Field(False, description="only unread ones")


class MarkRead(Body):
    """Nothing to say: marking read takes no fields."""


class Notification(Reply):
    id: int
    channel: Literal["in_app", "sms", "email"]
    template: str
    locale: Literal["zh", "en"]
    subject: str
    body: str
    case_id: int | None
    status: Literal["pending", "sent", "failed"]
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    read_at: datetime | None


class NotificationPage(Reply):
    items: list[Notification]
    total: int
    unread: int
    limit: int
    offset: int


@bp.record_once
def _offline_channel(_state: Any) -> None:
    """SMS and e-mail go to the log unless the deployment configured a real notifier."""
    delivery.configure_default(LogNotifier())


@bp.get("")
@operation("listNotifications", tag="notifications", query=NotificationFilter,
           ok={200: NotificationPage})
def mine(query: NotificationFilter) -> dict[str, Any]:
    """The caller's in-app notifications, unread first."""
    with transaction() as session:
        rows, total, unread = outbox.inbox(session, actor(), unread_only=query.unread,
                                           limit=query.limit, offset=query.offset)
        return {"items": [outbox.as_dict(r) for r in rows], "total": total, "unread": unread,
                "limit": query.limit, "offset": query.offset}


@bp.post("/<int:notification_id>/read")
@operation("readNotification", tag="notifications", body=MarkRead, optional_body=True,
           ok={200: Notification}, errors=("404",))
def read(notification_id: int) -> dict[str, Any]:
    """Mark one of the caller's notifications read."""
    with transaction() as session:
        return outbox.as_dict(outbox.mark_read(session, notification_id, actor()))
