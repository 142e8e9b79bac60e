"""Import the org model (org.yaml): offices, then staff with their postings and groups."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import audit
from engine.core.actors import Actor
from engine.core.errors import InvalidInput
from engine.models import Department, Office, User
from engine.org import users
from engine.org.catalog.reading import SAFE_LOADER
from engine.org.offices.members import set_postings
from engine.org.offices.org_checks import OfficeSpec, OrgFile, check_org
from engine.org.offices.staffing import EmptyPost, empty_posts
from engine.org.roles import require

log = logging.getLogger(__name__)

ORG_EDITORS = frozenset({"admin", "leader"})


@dataclass(frozen=True)
class OrgCounts:
    """What an org import did."""

    offices_created: int
    offices_updated: int
    users_created: int
    postings: int
    # the office roles nobody holds after the import: work routed there would wait
    empty: tuple[EmptyPost, ...] = field(default=())

    def __str__(self) -> str:
        return (f"offices: {self.offices_created} created, {self.offices_updated} updated; "
                f"staff: {self.users_created} new users, {self.postings} postings")


def read_org(path: str | Path) -> dict[str, Any]:
    """Parse an org.yaml file into its mapping."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except yaml.YAMLError as err:
        raise InvalidInput(f"{path.name}: not valid YAML ({err})") from None
    if not isinstance(doc, dict):
        raise InvalidInput(f"{path.name}: expected a mapping with 'offices' and 'staff'")
    return doc


def import_offices(session: Session, source: str | Path | dict[str, Any],
                   actor: Actor) -> OrgCounts:
    """Upsert the offices and staff of SOURCE; each listed user's postings become the file's."""
    require(actor, ORG_EDITORS, "import the org model")
    doc = source if isinstance(source, dict) else read_org(source)
    offices = {o.code: o for o in session.scalars(select(Office))}
    departments = set(session.scalars(select(Department.code)))
    org = check_org(doc, set(offices), departments)
    created, updated = _upsert_offices(session, org, offices)
    users_created = postings = 0
    for person in org.staff:
        user = session.scalar(select(User).where(User.username == person.username))
        if user is None:
            users_created += 1
        user = users.add_user(session, person.username, None, display_name=person.display_name,
                              admin=any(p.role == "admin" for p in person.posts),
                              exist_ok=True)
        if person.display_name:
            user.display_name = person.display_name
        set_postings(session, user, [(offices[p.office], p.role, p.posting)
                                     for p in person.posts])
        postings += len(person.posts)
    counts = OrgCounts(created, updated, users_created, postings,
                       tuple(empty_posts(session)))
    audit.record(session, actor, "offices.import", offices_created=created,
                 offices_updated=updated, users_created=users_created, postings=postings)
    log.info("org model imported: %s", counts)
    return counts


def _upsert_offices(session: Session, org: OrgFile, offices: dict[str, Office]
                    ) -> tuple[int, int]:
    created = updated = 0
    for spec in org.offices:
        office = offices.get(spec.code)
        if office is None:
            office = offices[spec.code] = Office(code=spec.code)
            session.add(office)
            created += 1
        elif _shape(office) != _shape_of(spec):
            updated += 1
        office.name_zh, office.name_en, office.level = spec.name_zh, spec.name_en, spec.level
        office.town, office.timezone = spec.town, spec.timezone
        office.department_code = spec.department
    for spec in org.offices:
        offices[spec.code].parent = offices[spec.parent] if spec.parent else None
    session.flush()
    return created, updated


def _shape(office: Office) -> tuple[Any, ...]:
    return (office.name_zh, office.name_en, office.level, office.town, office.timezone,
            office.department_code, office.parent.code if office.parent else None)


def _shape_of(spec: OfficeSpec) -> tuple[Any, ...]:
    return (spec.name_zh, spec.name_en, spec.level, spec.town, spec.timezone,
            spec.department, spec.parent)
