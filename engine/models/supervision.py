"""Supervision orders (督办): a supervisor asks someone to act on a case by a deadline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class SupervisionOrder(Base):
    __tablename__ = "supervision_orders"
    __table_args__ = (Index("ix_supervision_orders_state_deadline", "state", "deadline"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    issued_by: Mapped[str] = mapped_column(String(80))
    to_user: Mapped[str | None] = mapped_column(String(80), index=True)
    to_group: Mapped[str | None] = mapped_column(String(120), index=True)
    message: Mapped[str] = mapped_column(Text)
    deadline: Mapped[datetime]
    # open | replied | escalated | closed
    state: Mapped[str] = mapped_column(String(20), default="open")
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by: Mapped[str | None] = mapped_column(String(80))
    replied_at: Mapped[datetime | None]
    escalated_to: Mapped[str | None] = mapped_column(String(120))
    escalated_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
