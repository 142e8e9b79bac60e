"""What staff search cases by: the applicant's name, credit code and phone, per case."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class CaseSearch(Base):
    """The searchable facts of one case's application, written when the case starts.

    Kept apart from the case's JSON start data so a search is an indexed lookup; the
    credit code is stored upper-case without spaces and the phone as its digits only.
    """

    __tablename__ = "case_search"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    applicant_name: Mapped[str | None] = mapped_column(String(200), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(40), index=True)
    phone: Mapped[str | None] = mapped_column(String(40), index=True)
