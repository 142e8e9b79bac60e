"""Service ratings (好差评, GB/T 39734) and the follow-up of bad ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class Rating(Base):
    """One rating of a case or of a window visit; SUBJECT is unique, so each is rated once."""

    __tablename__ = "ratings"
    __table_args__ = (Index("ix_ratings_office_bundle", "office_code", "bundle_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # case:<id> | visit:<reference>
    subject: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # case | visit
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    office_code: Mapped[str | None] = mapped_column(String(60))
    bundle_key: Mapped[str | None] = mapped_column(String(120))
    channel: Mapped[str | None] = mapped_column(String(20))
    rater: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(20))
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class RatingFollowUp(Base):
    """What is done about a bad rating: verify, rectify, reply, by a due date."""

    __tablename__ = "rating_follow_ups"
    __table_args__ = (Index("ix_rating_follow_ups_state_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(
        ForeignKey("ratings.id", ondelete="CASCADE"), unique=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    office_code: Mapped[str | None] = mapped_column(String(60))
    # verify | rectify | reply | closed
    state: Mapped[str] = mapped_column(String(20), default="verify")
    due_at: Mapped[datetime]
    confirmed: Mapped[bool] = mapped_column(default=True)
    verify_note: Mapped[str | None] = mapped_column(Text)
    verified_by: Mapped[str | None] = mapped_column(String(80))
    verified_at: Mapped[datetime | None]
    rectify_note: Mapped[str | None] = mapped_column(Text)
    rectified_by: Mapped[str | None] = mapped_column(String(80))
    rectified_at: Mapped[datetime | None]
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by: Mapped[str | None] = mapped_column(String(80))
    replied_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
