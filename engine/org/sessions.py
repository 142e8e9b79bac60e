"""Browser sessions kept on the server: the signed cookie carries a random id, every request
checks that its session is still open, and ending a session (sign-out, a new password,
"sign out everywhere") refuses the cookie from then on, wherever a copy of it is."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from engine.models import BrowserSession

SIGNED_OUT = "signed out"
PASSWORD_CHANGED = "password changed"
EVERYWHERE = "signed out everywhere"
DEACTIVATED = "account deactivated"
# last_seen_at is written at most this often, so that reading pages stays read-only
TOUCH_EVERY = timedelta(minutes=5)
# rows of sessions unseen this long are deleted when someone signs in
KEEP_FOR = timedelta(days=30)


def _now() -> datetime:
    # sessions age in wall-clock time, as their cookie does, not on the engine's clock:
    # moving that clock through a case (tests, demos) leaves the browser signed in
    return datetime.now(UTC)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def open_session(session: Session, user_id: int) -> str:
    """Start a session for USER_ID; return the secret id its cookie carries."""
    now = _now()
    session.execute(delete(BrowserSession).where(BrowserSession.last_seen_at < now - KEEP_FOR))
    secret = secrets.token_urlsafe(32)
    session.add(BrowserSession(id=_digest(secret), user_id=user_id, created_at=now,
                               last_seen_at=now))
    session.flush()
    return secret


def find_open(session: Session, secret: str, *, idle: timedelta,
              lifetime: timedelta) -> BrowserSession | None:
    """The session SECRET names if it is open, else None.

    Open means not ended, seen within IDLE and begun within LIFETIME.
    """
    row = session.get(BrowserSession, _digest(secret))
    now = _now()
    if (row is None or row.ended_at is not None or row.last_seen_at + idle <= now
            or row.created_at + lifetime <= now):
        return None
    return row


def is_stale(row: BrowserSession) -> bool:
    """Whether ROW's last-seen time is old enough to be written again."""
    return row.last_seen_at + TOUCH_EVERY <= _now()


def touch(session: Session, secret: str) -> None:
    """Note that the session SECRET names was used now."""
    session.execute(update(BrowserSession).where(BrowserSession.id == _digest(secret),
                                                 BrowserSession.ended_at.is_(None))
                    .values(last_seen_at=_now()))


def end_session(session: Session, secret: str, reason: str = SIGNED_OUT) -> None:
    """End the session SECRET names (nothing happens if it has ended already)."""
    session.execute(update(BrowserSession).where(BrowserSession.id == _digest(secret),
                                                 BrowserSession.ended_at.is_(None))
                    .values(ended_at=_now(), end_reason=reason))


def end_all(session: Session, user_id: int, reason: str) -> int:
    """End every open session of USER_ID; return how many there were."""
    result = session.execute(update(BrowserSession).where(BrowserSession.user_id == user_id,
                                                          BrowserSession.ended_at.is_(None))
                             .values(ended_at=_now(), end_reason=reason))
    return int(getattr(result, "rowcount", 0) or 0)


def count_open(session: Session, user_id: int, *, idle: timedelta,
               lifetime: timedelta) -> int:
    """How many sessions of USER_ID are open (for the admin's user page)."""
    now = _now()
    return int(session.scalar(select(func.count()).select_from(BrowserSession).where(
        BrowserSession.user_id == user_id, BrowserSession.ended_at.is_(None),
        BrowserSession.last_seen_at > now - idle,
        BrowserSession.created_at > now - lifetime)) or 0)
