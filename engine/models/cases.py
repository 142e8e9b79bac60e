"""Cases and the stored pieces of their SpiffWorkflow state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class Case(Base):
    """One running (or finished) process instance; the row that is locked to advance it."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_updated", "status", "updated_at"),
        Index("ix_cases_next_timer", "next_timer_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(200))
    bundle_key: Mapped[str] = mapped_column(String(120), index=True)
    business_key: Mapped[str | None] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    # the office that accepted the case (any office may accept: 全城通办) and the channel used
    office_code: Mapped[str | None] = mapped_column(String(60), index=True)
    channel: Mapped[str | None] = mapped_column(String(20))
    # running | completed | cancelled | error
    status: Mapped[str] = mapped_column(String(20), default="running")
    # optimistic version: bumped by every command that advances the case
    version: Mapped[int] = mapped_column(Integer, default=0)
    started_by: Mapped[str | None] = mapped_column(String(80))
    # the account the case is for: its own steps (supplement, delivery) are this person's
    # and its authorised agents', never any applicant's; set by the engine, not by data
    applicant: Mapped[str | None] = mapped_column(String(80), index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    next_timer_at: Mapped[datetime | None]
    error_message: Mapped[str | None] = mapped_column(Text)
    error_element: Mapped[str | None] = mapped_column(String(200))
    error_task_id: Mapped[str | None] = mapped_column(String(36))
    # SpiffWorkflow's workflow-level attributes (not the tasks), as JSON text
    workflow_state: Mapped[str] = mapped_column(Text, default="{}")
    task_count: Mapped[int] = mapped_column(Integer, default=0)


class CaseTask(Base):
    """One SpiffWorkflow task of a case, serialised on its own (data as a delta)."""

    __tablename__ = "case_tasks"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    task_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # the (sub)workflow the task belongs to: "" for the top workflow
    workflow_id: Mapped[str] = mapped_column(String(36), default="")
    seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[int] = mapped_column(Integer)
    spec_name: Mapped[str] = mapped_column(String(255))
    digest: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)


class Subscription(Base):
    """A case waiting for a message or signal, found by name (and correlation)."""

    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_kind_name", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # message | signal
    name: Mapped[str] = mapped_column(String(200))
    correlation: Mapped[dict[str, Any]]


class Counter(Base):
    """Named sequences (case numbers per prefix and year)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
