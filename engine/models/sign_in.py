"""Signing in: the attempts the throttle counts and the browser sessions signed in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class SignInAttempt(Base):
    """One password sign-in or one unknown bearer token, kept while the throttle counts it.

    A password attempt is written as 'pending' before the password is checked, so that
    requests racing on several workers all see each other (see engine.org.throttle).
    """

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_kind_account_at", "kind", "account", "at"),
                      Index("ix_sign_in_attempts_kind_address_at", "kind", "address", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # password | token
    kind: Mapped[str] = mapped_column(String(10))
    # the username tried (a token attempt names none)
    account: Mapped[str | None] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(index=True)
    # pending | failed
    outcome: Mapped[str] = mapped_column(String(10))


class BrowserSession(Base):
    """A signed-in browser: the cookie carries its secret id, the table only its digest."""

    __tablename__ = "browser_sessions"

    # sha256 of the id in the cookie: a copy of the table opens no session
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    # signed out | password changed | signed out everywhere
    end_reason: Mapped[str | None] = mapped_column(String(40))
