"""The deployed bundles that have a guide, read once per deployment for the portal pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.errors import NotFound
from engine.design import deployments, guides
from engine.models import Deployment
from web.context import engine


@dataclass(frozen=True)
class BundleGuide:
    """The newest deployment of a bundle, its files and its guide."""

    deployment_id: int
    key: str
    version: int
    files: dict[str, bytes]
    guide: guides.Guide


def guide_of(session: Session, key: str) -> BundleGuide:
    """The newest deployed version of bundle KEY with its guide (NotFound without one)."""
    dep, _process = deployments.find_start(session, key)
    if dep.bundle_key != key:
        raise NotFound(f"no bundle named '{key}'")
    files = dict(engine().specs.get(session, dep.id).files)
    if guides.GUIDE_FILE not in files:
        raise NotFound(f"bundle '{key}' has no guide")
    cache = engine().guides
    guide = cache.get(dep.id)
    if guide is None:
        guide = cache[dep.id] = guides.load_guide(files)
    return BundleGuide(dep.id, key, dep.version, files, guide)


def all_guides(session: Session) -> list[BundleGuide]:
    """Every bundle whose newest version has a guide, by key."""
    newest = (select(Deployment.bundle_key, func.max(Deployment.version))
              .group_by(Deployment.bundle_key).order_by(Deployment.bundle_key))
    out = []
    for key, _version in session.execute(newest):
        try:
            out.append(guide_of(session, key))
        except NotFound:
            continue
    return out
