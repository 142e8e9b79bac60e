"""Staff postings at offices, and the engine groups that follow from them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import Membership, Office, OfficeMember, User
from engine.models.offices import ROLES

OFFICE_PREFIX = "office:"


def office_groups(role: str, office_code: str) -> list[str]:
    """The groups a ROLE at OFFICE_CODE gives: the role, the office, the role at the office."""
    return [role, f"{OFFICE_PREFIX}{office_code}", f"{role}@{office_code}"]


def _derived(group: str) -> bool:
    """Whether GROUP is one this module manages (bare roles are never taken away)."""
    role, at, _ = group.partition("@")
    return group.startswith(OFFICE_PREFIX) or (bool(at) and role in ROLES)


def postings_of(session: Session, user: User) -> list[OfficeMember]:
    """USER's postings, by office code and role."""
    return list(session.scalars(
        select(OfficeMember).join(Office).where(OfficeMember.user_id == user.id)
        .order_by(Office.code, OfficeMember.role)))


def sync_groups(session: Session, user: User) -> None:
    """Make USER's office-derived groups match their postings, keeping other groups."""
    wanted: set[str] = set()
    for member in postings_of(session, user):
        wanted.update(office_groups(member.role, member.office.code))
    for membership in [m for m in user.memberships
                       if _derived(m.group_name) and m.group_name not in wanted]:
        user.memberships.remove(membership)
    have = {m.group_name for m in user.memberships}
    for group in sorted(wanted - have):
        user.memberships.append(Membership(group_name=group))
    session.flush()


def set_postings(session: Session, user: User,
                 posts: Iterable[tuple[Office, str, str]]) -> None:
    """Replace USER's postings with POSTS (office, role, posting) and resync their groups."""
    wanted = {(office.id, role): (office, posting) for office, role, posting in posts}
    for member in postings_of(session, user):
        if (member.office_id, member.role) not in wanted:
            session.delete(member)
        else:
            member.posting = wanted.pop((member.office_id, member.role))[1]
    session.flush()
    for (_, role), (office, posting) in wanted.items():
        session.add(OfficeMember(user_id=user.id, office_id=office.id, role=role,
                                 posting=posting))
    session.flush()
    sync_groups(session, user)
