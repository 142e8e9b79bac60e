"""Application drafts: one applicant's form for a bundle, kept until it is submitted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class ApplicationDraft(Base):
    """The merged application form of a bundle, saved as the applicant goes."""

    __tablename__ = "application_drafts"
    __table_args__ = (Index("ix_application_drafts_owner_status", "owner", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_key: Mapped[str] = mapped_column(String(120))
    # whose application it is (the principal when an agent fills it in)
    owner: Mapped[str] = mapped_column(String(80))
    created_by: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict[str, Any]]
    office_code: Mapped[str | None] = mapped_column(String(60))
    channel: Mapped[str | None] = mapped_column(String(20))
    # draft until submitted; a submitted draft names the case it started
    status: Mapped[str] = mapped_column(String(20), default="draft")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    # bumped on every save: a save based on an older version is refused (two tabs)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
