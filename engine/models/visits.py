"""Service outside the hall: door-to-door visits (上门服务) and mobile-window intakes (移动窗口)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class Visit(Base):
    """A clerk's visit to an applicant who may ask for one, with its outcome."""

    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_office_status", "office_code", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant: Mapped[str] = mapped_column(String(80), index=True)
    requested_by: Mapped[str] = mapped_column(String(80))
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(30))
    # park_enterprise (循环经济产业园企业) | cannot_travel (行动不便等)
    reason_kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    window_from: Mapped[datetime]
    window_until: Mapped[datetime]
    clerk: Mapped[str | None] = mapped_column(String(80))
    # requested | assigned | done | cancelled
    status: Mapped[str] = mapped_column(String(20), default="requested")
    materials_collected: Mapped[bool | None]
    onsite_check_done: Mapped[bool | None]
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MobileIntake(Base):
    """An application taken at a market-day location; the case it started flows as any other."""

    __tablename__ = "mobile_intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code", ondelete="CASCADE"),
                                             index=True)
    town: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(200))
    market_day: Mapped[date]
    clerk: Mapped[str] = mapped_column(String(80))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
