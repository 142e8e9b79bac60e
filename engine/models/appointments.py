"""Appointments (预约): office capacity slots per day and the bookings that fill them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base


class AppointmentSlot(Base):
    """A time window of one office on one day with a number of places.

    ``booked`` counts the active bookings; it only ever changes through a
    conditional UPDATE, so two bookings at once can never pass ``capacity``.
    """

    __tablename__ = "appointment_slots"
    __table_args__ = (
        UniqueConstraint("office_code", "day", "starts"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_code: Mapped[str] = mapped_column(ForeignKey("offices.code", ondelete="CASCADE"),
                                             index=True)
    day: Mapped[date]
    # local times of the office ("HH:MM", office time zone)
    starts: Mapped[str] = mapped_column(String(5))
    ends: Mapped[str] = mapped_column(String(5))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    # outside office hours (lunch break, evening, weekend): 延时服务 with a duty clerk
    after_hours: Mapped[bool] = mapped_column(default=False)
    duty_clerk: Mapped[str | None] = mapped_column(String(80))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]


class Appointment(Base):
    """One applicant's booking of a slot, optionally about a case."""

    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_applicant_status", "applicant", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("appointment_slots.id"), index=True)
    applicant: Mapped[str] = mapped_column(String(80))
    booked_by: Mapped[str] = mapped_column(String(80))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str | None] = mapped_column(String(30))
    # the duty clerk of an after-hours slot
    clerk: Mapped[str | None] = mapped_column(String(80))
    # booked | cancelled
    status: Mapped[str] = mapped_column(String(20), default="booked")
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    slot: Mapped[AppointmentSlot] = relationship(lazy="joined")
