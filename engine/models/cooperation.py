"""Cooperation (协办): a question put to another department about one task."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class CooperationRequest(Base):
    """A question one task's handler puts to another department, answered on its own work item."""

    __tablename__ = "cooperation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # the main task the question is about
    work_item_id: Mapped[str] = mapped_column(
        ForeignKey("work_items.id", ondelete="CASCADE"), index=True)
    # the ad-hoc 'cooperation' work item in the co-handling department's inbox
    cooperation_item_id: Mapped[str] = mapped_column(
        ForeignKey("work_items.id", ondelete="CASCADE"), unique=True)
    requested_by: Mapped[str] = mapped_column(String(80))
    group_name: Mapped[str] = mapped_column(String(120))
    question: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime | None]
    # open | answered | cancelled
    state: Mapped[str] = mapped_column(String(20), default="open")
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(80))
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
