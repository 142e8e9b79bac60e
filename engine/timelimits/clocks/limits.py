"""Commitment and statutory limits of a case and its items: the bundle guide, else the catalogue."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core.errors import InvalidInput
from engine.design import guides
from engine.models import DeploymentFile, Item

log = logging.getLogger(__name__)

_guides: dict[str, guides.Guide | None] = {}


@dataclass(frozen=True)
class Limit:
    """A time limit: in working days, or in office hours for an instant item (即办件)."""

    committed: float
    statutory: float
    unit: str = "days"


def instant_hours() -> float:
    """Office hours promised for an instant item (ONETHING_INSTANT_HOURS, default 2)."""
    return float(os.environ.get("ONETHING_INSTANT_HOURS", "2"))


def guide_of(session: Session, deployment_id: int) -> guides.Guide | None:
    """The deployment's guide, read once per content hash (None without a readable guide)."""
    row = session.execute(select(DeploymentFile.sha256, DeploymentFile.content).where(
        DeploymentFile.deployment_id == deployment_id,
        DeploymentFile.name == guides.GUIDE_FILE)).first()
    if row is None:
        return None
    if row.sha256 not in _guides:
        try:
            _guides[row.sha256] = guides.load_guide({guides.GUIDE_FILE: bytes(row.content)})
        except InvalidInput:
            log.warning("deployment %s: guide unreadable, no commitment clock", deployment_id)
            _guides[row.sha256] = None
    return _guides[row.sha256]


def case_limit(guide: guides.Guide | None) -> Limit | None:
    """The bundle's limit (None when the bundle has no guide)."""
    if guide is None:
        return None
    return Limit(guide.commitment_days, max(guide.statutory_days, guide.commitment_days))


def item_limit(session: Session, guide: guides.Guide | None, code: str) -> Limit | None:
    """The limit of item CODE: its guide entry, else its catalogue row (None if neither)."""
    row = session.scalar(select(Item).where(Item.code == code))
    if row is not None and row.instant:
        return Limit(instant_hours(), instant_hours(), "hours")
    if guide is not None:
        try:
            entry = guide.item(code)
        except KeyError:
            entry = None
        if entry is not None:
            if entry.commitment_days == 0:
                return Limit(instant_hours(), instant_hours(), "hours")
            return Limit(entry.commitment_days, max(entry.statutory_days, entry.commitment_days))
    if row is None:
        return None
    if row.committed_days == 0:
        return Limit(instant_hours(), instant_hours(), "hours")
    return Limit(row.committed_days, row.statutory_days)
