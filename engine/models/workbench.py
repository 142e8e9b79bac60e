"""The clerk workbench: comments on cases, watched cases, and the inbox's paging indexes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base
from engine.models.work import Candidate, WorkItem


class Comment(Base):
    """A note a clerk leaves on a case (optionally about one of its tasks)."""

    __tablename__ = "case_comments"
    __table_args__ = (Index("ix_case_comments_case_id_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    # the task the comment is about; kept as text so a comment outlives its work item
    task_id: Mapped[str | None] = mapped_column(String(36))
    author: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class Watch(Base):
    """A person following a case: its open work shows in their 'watched' inbox tab."""

    __tablename__ = "case_watches"
    __table_args__ = (UniqueConstraint("username", "case_id"),
                      Index("ix_case_watches_case_id", "case_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]


# keyset paging of open work: (state, due_at, id) and (state, created_at, id) serve the
# whole-inbox sorts, (assignee, state, due_at, id) the 'mine' tab without a sort step
Index("ix_work_items_state_due_id", WorkItem.state, WorkItem.due_at, WorkItem.id)
Index("ix_work_items_state_created_id", WorkItem.state, WorkItem.created_at, WorkItem.id)
Index("ix_work_items_assignee_state_due_id", WorkItem.assignee, WorkItem.state,
      WorkItem.due_at, WorkItem.id)
# the 'my groups' tab starts from the candidate rows of the caller's groups
Index("ix_candidates_kind_name_item", Candidate.kind, Candidate.name, Candidate.work_item_id)
