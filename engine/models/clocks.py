"""Commitment clocks (承诺时限): one per case and one per item of the case."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base

CASE_SCOPE = "case"


class CommitmentClock(Base):
    """Time promised for a case (scope 'case') or one of its items (scope: the item code)."""

    __tablename__ = "commitment_clocks"
    __table_args__ = (
        UniqueConstraint("case_id", "scope"),
        Index("ix_commitment_clocks_level_finished", "level", "finished_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(40))
    bundle_key: Mapped[str] = mapped_column(String(120), index=True)
    office_code: Mapped[str | None] = mapped_column(String(60))
    # days (working days) | hours (office hours, instant items 即办件)
    unit: Mapped[str] = mapped_column(String(10), default="days")
    committed: Mapped[float]
    statutory: Mapped[float]
    started_at: Mapped[datetime]
    due_at: Mapped[datetime]
    statutory_due_at: Mapped[datetime]
    # set while stopped; pausing lists what holds it ([{"reason", "work_item"}])
    paused_since: Mapped[datetime | None]
    pausing: Mapped[list[Any]]
    paused_days: Mapped[int] = mapped_column(default=0)
    extended_days: Mapped[float] = mapped_column(default=0)
    extended_by: Mapped[str | None] = mapped_column(String(80))
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extended_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # normal | yellow | red
    level: Mapped[str] = mapped_column(String(10), default="normal")
    level_changed_at: Mapped[datetime | None]
    # False when any day counted came from no calendar data or an unconfirmed file
    confirmed: Mapped[bool] = mapped_column(default=True)
