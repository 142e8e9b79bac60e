"""Who is there to do the work: groups with no active member, office roles nobody holds.

A group counts as staffed when at least one active account belongs to it; a deactivated
(locked) account does not count, and neither do administrators by their power to work on
anything. The office roles an office is expected to hold follow from the org model and the
catalogue: the offices that accept cases need window clerks, and an office that may decide
some catalogue item (by its level, a department for its own items) needs reviewers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Item, Membership, Office, OfficeMember, User
from engine.org.offices.routing import ITEM_LEVEL_OF

# the office levels whose windows accept applications (the approval bureau does not)
ACCEPTING_LEVELS = frozenset({"center", "branch", "town"})
WINDOW_ROLE = "window_clerk"
DECIDING_ROLE = "reviewer"


@dataclass(frozen=True)
class EmptyPost:
    """An office role (窗口, 审批) that no active account holds at that office."""

    office: str
    office_name: str
    role: str

    @property
    def group(self) -> str:
        """The candidate group the routing gives this post ('reviewer@branch_yangan')."""
        return f"{self.role}@{self.office}"

    def __str__(self) -> str:
        return f"{self.office_name} ({self.office}) has no active {self.role}"


def staffed_groups(session: Session, groups: Iterable[str]) -> set[str]:
    """The groups among GROUPS that at least one active account belongs to."""
    wanted = sorted(set(groups))
    if not wanted:
        return set()
    return set(session.scalars(
        select(Membership.group_name).join(User, User.id == Membership.user_id)
        .where(Membership.group_name.in_(wanted), User.active.is_(True)).distinct()))


def unstaffed_groups(session: Session, groups: Iterable[str]) -> list[str]:
    """The groups among GROUPS that no active account belongs to, sorted."""
    wanted = set(groups)
    return sorted(wanted - staffed_groups(session, wanted))


def _deciding_offices(session: Session, offices: list[Office]) -> set[str]:
    """The codes of OFFICES that may decide at least one catalogue item."""
    levels: set[str] = set()
    departments: set[str] = set()
    for decide_levels, department in session.execute(
            select(Item.decide_levels, Item.department_code)):
        levels.update(decide_levels or ())
        if "county" in (decide_levels or ()):
            departments.add(department)
    out = set()
    for office in offices:
        level = ITEM_LEVEL_OF.get(office.level)
        if office.level == "department":
            if office.department_code in departments:
                out.add(office.code)
        elif level in levels:
            out.add(office.code)
    return out


def empty_posts(session: Session) -> list[EmptyPost]:
    """Every office role the org model expects that no active account holds, by office."""
    offices = list(session.scalars(select(Office).order_by(Office.code)))
    held = {(code, role) for code, role in session.execute(
        select(Office.code, OfficeMember.role).join(Office, Office.id == OfficeMember.office_id)
        .join(User, User.id == OfficeMember.user_id).where(User.active.is_(True)))}
    deciding = _deciding_offices(session, offices)
    out: list[EmptyPost] = []
    for office in offices:
        roles = ([WINDOW_ROLE] if office.level in ACCEPTING_LEVELS else []) \
            + ([DECIDING_ROLE] if office.code in deciding else [])
        out.extend(EmptyPost(office.code, office.name_zh or office.code, role)
                   for role in roles if (office.code, role) not in held)
    return out
