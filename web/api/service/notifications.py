"""The in-app inbox: the caller's notifications, unread first; mark one read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from adapters.notify import LogNotifier
from engine.core.errors import NotFound
from engine.service.notifications import delivery, outbox
from web.api.validation import Fields, json_object, paging
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("notifications", __name__, url_prefix="/notifications")



@bp.record_once
def _offline_channel(_state: Any) -> None:
    """SMS and e-mail go to the log unless the deployment configured a real notifier."""
    delivery.configure_default(LogNotifier())


@bp.get("")
def mine() -> dict[str, Any]:
    """The caller's in-app notifications, unread first, then newest first."""
    query = Fields(request.args, query=True)
    unread_only = query.flag("unread")
    limit, offset = paging(query)
    query.done()
    with transaction() as session:
        rows, total, unread = outbox.inbox(session, actor(), unread_only=unread_only,
                                           limit=limit, offset=offset)
        return {"items": [outbox.as_dict(r) for r in rows], "total": total, "unread": unread,
                "limit": limit, "offset": offset}


@bp.post("/<int:notification_id>/read")
def read(notification_id: int) -> dict[str, Any]:
    """Mark one of the caller's notifications read."""
    Fields(json_object(optional=True)).done()
    if notification_id > MAX_ID:
        raise NotFound(f"notification {notification_id} not found")
    with transaction() as session:
        return outbox.as_dict(outbox.mark_read(session, notification_id, actor()))
