"""The item catalogue: departments, items (事项) and the materials each item needs."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base

# office levels an item may be accepted or decided at; see engine.offices.routing
ITEM_LEVELS = ("county", "center", "branch", "town")


class Department(Base):
    """A county department that owns catalogue items (市场监管, 消防救援, ...)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")


class Item(Base):
    """One catalogue approval or service item with its time limits and levels."""

    __tablename__ = "catalog_items"
    __table_args__ = (
        CheckConstraint("committed_days <= statutory_days", name="committed_within_statutory"),
        CheckConstraint("committed_days >= 0", name="committed_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    department_code: Mapped[str] = mapped_column(
        ForeignKey("departments.code", ondelete="RESTRICT"), index=True)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    fee_text: Mapped[str] = mapped_column(String(500), default="")
    # in fen (0.01 yuan): exact on SQLite too, which has no decimal type
    fee_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    # working days
    statutory_days: Mapped[int]
    committed_days: Mapped[int]
    instant: Mapped[bool] = mapped_column(default=False)
    accept_levels: Mapped[list[Any]]
    decide_levels: Mapped[list[Any]]
    updated_at: Mapped[datetime]

    department: Mapped[Department] = relationship(lazy="joined")

    @property
    def fee_amount(self) -> Decimal:
        """The fee in yuan."""
        return (Decimal(self.fee_cents) / 100).quantize(Decimal("0.01"))

    @fee_amount.setter
    def fee_amount(self, amount: Decimal) -> None:
        self.fee_cents = int(amount * 100)
    materials: Mapped[list[ItemMaterial]] = relationship(
        back_populates="item", cascade="all, delete-orphan", lazy="selectin",
        order_by="ItemMaterial.position")


class ItemMaterial(Base):
    """One material an item needs; key materials may not be missing at acceptance."""

    __tablename__ = "catalog_item_materials"
    __table_args__ = (UniqueConstraint("item_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    key: Mapped[bool] = mapped_column(default=False)
    copies: Mapped[int] = mapped_column(default=1)
    note: Mapped[str] = mapped_column(String(500), default="")

    item: Mapped[Item] = relationship(back_populates="materials")
