"""Agency (代办): an applicant's authorisation of an agent, with scope and validity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base


class AgencyAuthorization(Base):
    """An applicant's recorded consent that an agent may act for it, within a scope and time."""

    __tablename__ = "agency_authorizations"
    __table_args__ = (Index("ix_agency_agent_principal", "agent", "principal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # the enterprise's (applicant's) account and the agent's account
    principal: Mapped[str] = mapped_column(String(80), index=True)
    agent: Mapped[str] = mapped_column(String(80))
    # actions from agency.ACTIONS: apply, supplement, receive_result, all
    scope: Mapped[list[Any]]
    # null: any bundle / any case of the principal
    bundle_key: Mapped[str | None] = mapped_column(String(120))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    valid_from: Mapped[datetime]
    valid_until: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(default=False)
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(80))

