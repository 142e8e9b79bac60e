"""The org model: offices (bureau, center, branches, town centers, departments) and staff."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base
from engine.models.users import User

OFFICE_LEVELS = ("bureau", "center", "branch", "town", "department")
ROLES = ("window_clerk", "reviewer", "agent", "supervisor", "leader", "designer", "admin")
# resident: works at the office day to day; mission: a member of the office sent out on
# regional missions (下沉/巡回), e.g. to the branches, on-site inspections
POSTINGS = ("resident", "mission")


class Office(Base):
    """An org unit; departments name the catalogue department they stand for."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("offices.id", ondelete="SET NULL"), index=True)
    town: Mapped[str] = mapped_column(String(100), default="")
    department_code: Mapped[str | None] = mapped_column(
        ForeignKey("departments.code", ondelete="SET NULL"), index=True)
    timezone: Mapped[str] = mapped_column(String(60), default="Asia/Shanghai")

    parent: Mapped[Office | None] = relationship(remote_side="Office.id", lazy="joined",
                                                 join_depth=1)


class OfficeMember(Base):
    """A user's role at one office, stationed there (resident) or on mission."""

    __tablename__ = "office_members"
    __table_args__ = (UniqueConstraint("user_id", "office_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"),
                                           index=True)
    role: Mapped[str] = mapped_column(String(30))
    posting: Mapped[str] = mapped_column(String(20), default="resident")

    user: Mapped[User] = relationship(lazy="joined")
    office: Mapped[Office] = relationship(lazy="joined")
