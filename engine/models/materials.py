"""Materials an applicant handed in for a case: one row per upload, older ones superseded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class CaseMaterial(Base):
    """One uploaded file for one of the guide's materials; the blob lives in the FileStore."""

    __tablename__ = "case_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    # the guide's material id (id_card, premises_proof, ...)
    code: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    # also the FileStore key: equal files share one blob
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[datetime]
    # a newer upload of the same code replaces this one; the row stays as history
    superseded: Mapped[bool] = mapped_column(default=False)
