"""Work items (user, manual and external tasks waiting for someone) and candidates."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base


class WorkItem(Base):
    __tablename__ = "work_items"
    __table_args__ = (
        Index("ix_work_items_state_assignee", "state", "assignee"),
        Index("ix_work_items_state_due", "state", "due_at"),
        Index("ix_work_items_topic_state", "topic", "state"),
        # a case's open items are read on every command: without the state in the
        # index that read grows with every task the case ever had
        Index("ix_work_items_case_state", "case_id", "state"),
    )

    # the SpiffWorkflow task id
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # user | manual | external
    element_id: Mapped[str] = mapped_column(String(200))
    process_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    lane: Mapped[str | None] = mapped_column(String(200))
    documentation: Mapped[str | None] = mapped_column(Text)
    form_schema: Mapped[str | None] = mapped_column(String(300))
    form_ui_schema: Mapped[str | None] = mapped_column(String(300))
    # open | completed | cancelled
    state: Mapped[str] = mapped_column(String(20), default="open")
    assignee: Mapped[str | None] = mapped_column(String(80))
    topic: Mapped[str | None] = mapped_column(String(200))
    lock_owner: Mapped[str | None] = mapped_column(String(200))
    lock_expires_at: Mapped[datetime | None]
    retries_left: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(80))
    properties: Mapped[dict[str, Any]]
    # the task's data when it became ready (JSON-safe), for forms and external workers
    input_data: Mapped[dict[str, Any]]

    candidates: Mapped[list[Candidate]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    def candidate_names(self, kind: str) -> list[str]:
        return sorted(c.name for c in self.candidates if c.kind == kind)


class Candidate(Base):
    """A group or user who may claim a work item; indexed for inbox queries."""

    __tablename__ = "work_item_candidates"
    __table_args__ = (Index("ix_candidates_kind_name", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_item_id: Mapped[str] = mapped_column(
        ForeignKey("work_items.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # group | user
    name: Mapped[str] = mapped_column(String(120))


class OpenWorkKey(Base):
    """Who may claim an open person task, as keys an actor's groups and offices yield.

    A row exists only while its work item is open, so the group inbox reads and counts the
    caller's own claimable work by index, whatever the number of other people's tasks or
    closed ones (engine.runtime.work_keys writes and drops them; task_access reads them)."""

    __tablename__ = "open_work_keys"
    # the group inbox reads (key, not claimed) -> ids from this index alone
    __table_args__ = (Index("ix_open_work_keys_claimable", "key", "claimed", "work_item_id"),)

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    work_item_id: Mapped[str] = mapped_column(
        ForeignKey("work_items.id", ondelete="CASCADE"), primary_key=True, index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # someone holds the task: it has left the group inbox (mirrors WorkItem.assignee)
    claimed: Mapped[bool] = mapped_column(default=False)
