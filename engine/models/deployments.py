"""Deployed bundle versions and the files they hold."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base


class Deployment(Base):
    """One version of a bundle: a set of files identified by their content hash."""

    __tablename__ = "deployments"
    __table_args__ = (
        UniqueConstraint("bundle_key", "version"),
        UniqueConstraint("bundle_key", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_key: Mapped[str] = mapped_column(String(120), index=True)
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    flavour: Mapped[str] = mapped_column(String(20))
    main_process_id: Mapped[str] = mapped_column(String(200))
    process_ids: Mapped[list[Any]]
    created_at: Mapped[datetime]
    created_by: Mapped[str | None] = mapped_column(String(80))

    files: Mapped[list[DeploymentFile]] = relationship(
        back_populates="deployment", cascade="all, delete-orphan", order_by="DeploymentFile.name"
    )


class DeploymentFile(Base):
    __tablename__ = "deployment_files"
    __table_args__ = (UniqueConstraint("deployment_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(
        ForeignKey("deployments.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)

    deployment: Mapped[Deployment] = relationship(back_populates="files")


class ProcessDefinition(Base):
    """An executable process inside a deployment, found by its BPMN id."""

    __tablename__ = "process_definitions"
    __table_args__ = (UniqueConstraint("deployment_id", "process_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[int] = mapped_column(
        ForeignKey("deployments.id", ondelete="CASCADE"), index=True
    )
    process_id: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
