"""Put messages in the outbox, read the in-app inbox, mark messages read."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import case as when
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core import clock
from engine.core.actors import Actor
from engine.core.errors import InvalidInput, NotFound
from engine.models import Job, Notification
from engine.service.notifications.templates import LOCALES, render

log = logging.getLogger(__name__)

JOB_KIND = "notification"


def notify(session: Session, template: str, payload: dict[str, Any], *,
           user: str | None = None, phone: str | None = None, email: str | None = None,
           locale: str = "zh", case_id: int | None = None) -> list[Notification]:
    """Render TEMPLATE for each channel the recipient can be reached on, inside the caller's
    transaction: in-app for USER (in the inbox at once), SMS to PHONE, e-mail to EMAIL."""
    if locale not in LOCALES:
        raise InvalidInput(f"locale must be one of {', '.join(LOCALES)}")
    targets: list[tuple[str, str | None]] = [("in_app", None)] if user else []
    targets += [(channel, address) for channel, address in (("sms", phone), ("email", email))
                if address]
    made = []
    now = clock.now()
    subject, body = render(template, locale, payload)
    for channel, address in targets:
        in_app = channel == "in_app"
        row = Notification(recipient_user=user, address=address, channel=channel,
                           template=template, locale=locale, subject=subject[:300], body=body,
                           payload=payload, case_id=case_id,
                           status="sent" if in_app else "pending", attempts=0,
                           next_attempt_at=None if in_app else now,
                           sent_at=now if in_app else None, created_at=now)
        session.add(row)
        session.flush()
        if not in_app:
            session.add(Job(kind=JOB_KIND, case_id=case_id, key=f"notification:{row.id}",
                            due_at=now, status="pending", attempts=0, max_attempts=1,
                            payload={"notification_id": row.id}, created_at=now))
        made.append(row)
    log.info("notification %s queued for case %s on %s", template, case_id,
             ",".join(t[0] for t in targets) or "no channel")
    return made


def inbox(session: Session, actor: Actor, *, unread_only: bool = False, limit: int = 50,
          offset: int = 0) -> tuple[list[Notification], int, int]:
    """ACTOR's in-app messages, unread first then newest; with the total and unread counts."""
    mine = (Notification.recipient_user == actor.username, Notification.channel == "in_app")
    query = select(Notification).where(*mine)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    rows = list(session.scalars(query.order_by(
        when((Notification.read_at.is_(None), 0), else_=1), Notification.id.desc())
        .limit(limit).offset(offset)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    unread = session.scalar(select(func.count(Notification.id)).where(
        *mine, Notification.read_at.is_(None))) or 0
    return rows, total, unread


def mark_read(session: Session, notification_id: int, actor: Actor) -> Notification:
    """Mark one of ACTOR's in-app messages read (reading it again changes nothing)."""
    row = session.get(Notification, notification_id)
    if row is None or row.channel != "in_app" or row.recipient_user != actor.username:
        raise NotFound(f"notification {notification_id} not found")
    if row.read_at is None:
        row.read_at = clock.now()
    return row


def as_dict(row: Notification) -> dict[str, Any]:
    return {"id": row.id, "channel": row.channel, "template": row.template,
            "locale": row.locale, "subject": row.subject, "body": row.body,
            "case_id": row.case_id, "status": row.status, "attempts": row.attempts,
            "created_at": row.created_at.isoformat(),
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            "read_at": row.read_at.isoformat() if row.read_at else None}
