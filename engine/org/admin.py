"""Administration: users, their groups and office roles, offices with staff, audit search."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from engine.core import audit
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from engine.models import AuditEvent, Case, Membership, Office, OfficeMember, User
from engine.models.offices import POSTINGS, ROLES
from engine.org import roles, sessions, users
from engine.org.offices.members import OFFICE_PREFIX, postings_of, set_postings
from engine.org.offices.queries import office_as_dict

# leaders and supervisors may look at the org model, users and the audit trail
READERS = frozenset({"leader", "supervisor"})
MIN_PASSWORD = users.MIN_PASSWORD_LENGTH


def require_admin(actor: Actor, what: str) -> None:
    """Only administrators change users and roles."""
    if not actor.is_admin:
        raise Forbidden(f"{actor.username} may not {what} (administrators only)")


def require_reader(actor: Actor, what: str) -> None:
    """Administrators, leaders and supervisors may read the admin pages."""
    roles.require(actor, READERS, what)


def like_pattern(text: str) -> str:
    """A case-insensitive LIKE pattern in which % and _ match themselves."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# -- users -------------------------------------------------------------------------------


def user_as_dict(session: Session, user: User) -> dict[str, Any]:
    """A user for the admin pages: groups, office roles and state (never the password)."""
    return {"username": user.username, "display_name": user.display_name,
            "is_admin": user.is_admin, "active": user.active,
            "created_at": user.created_at.isoformat(), "groups": user.groups,
            "postings": [{"office": m.office.code, "office_name_zh": m.office.name_zh,
                          "office_name_en": m.office.name_en, "role": m.role,
                          "posting": m.posting} for m in postings_of(session, user)]}


MAX_GROUPS = 500


def held_groups(session: Session, actor: Actor) -> list[str]:
    """The groups some user holds (at most MAX_GROUPS), for a filter to choose from."""
    require_reader(actor, "list groups")
    return list(session.scalars(select(Membership.group_name).distinct()
                                .order_by(Membership.group_name).limit(MAX_GROUPS)))


def list_users(session: Session, actor: Actor, *, q: str | None = None, group: str | None = None,
               limit: int = 50, offset: int = 0) -> tuple[list[User], int]:
    """Users by name, filtered by a search text and a group; with the total."""
    require_reader(actor, "list users")
    stmt = select(User)
    if q and q.strip():
        pattern = like_pattern(q)
        stmt = stmt.where(or_(func.lower(User.username).like(pattern, escape="\\"),
                              func.lower(User.display_name).like(pattern, escape="\\")))
    if group:
        stmt = stmt.where(User.memberships.any(Membership.group_name == group))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    return list(session.scalars(stmt.order_by(User.username).limit(limit).offset(offset))), total


def find_user(session: Session, actor: Actor, username: str) -> User:
    """One user, for readers of the admin pages."""
    require_reader(actor, "look at users")
    return users.get_user(session, username)


def _check_groups(groups: Iterable[str]) -> list[str]:
    wanted: list[str] = []
    problems = []
    for group in groups:
        name = group.strip() if isinstance(group, str) else ""
        if not name or len(name) > 120 or any(c.isspace() for c in name):
            problems.append(FieldError("groups", f"'{group}' is not a group name "
                                                 "(1-120 characters without spaces)"))
        elif name.startswith(OFFICE_PREFIX) or "@" in name:
            problems.append(FieldError("groups", f"'{name}' comes from an office role; "
                                                 "set office roles instead"))
        elif name not in wanted:
            wanted.append(name)
    if problems:
        raise InvalidInput("some groups cannot be set", problems)
    return wanted


def create_user(session: Session, actor: Actor, username: str, password: str, *,
                display_name: str = "", groups: Iterable[str] = (),
                admin: bool = False) -> User:
    """Create a user with a password and groups."""
    require_admin(actor, "create users")
    users.check_password_policy(password, username)
    user = users.add_user(session, username, password, groups=_check_groups(groups),
                          admin=admin, display_name=display_name.strip()[:200])
    audit.record(session, actor, "user.created", username=user.username, groups=user.groups,
                 admin=admin)
    return user


def set_active(session: Session, actor: Actor, username: str, active: bool) -> User:
    """Deactivate (no login, no token) or reactivate a user."""
    require_admin(actor, "deactivate users")
    user = users.get_user(session, username)
    if not active and user.username == actor.username:
        raise Conflict("you cannot deactivate your own account")
    if user.active != active:
        user.active = active
        # a deactivated account keeps no browser open: reactivating it revives none
        if active:
            audit.record(session, actor, "user.activated", username=user.username)
        else:
            ended = sessions.end_all(session, user.id, sessions.DEACTIVATED)
            audit.record(session, actor, "user.deactivated", username=user.username,
                         sessions_ended=ended)
    return user


def reset_password(session: Session, actor: Actor, username: str, password: str) -> User:
    """Give a user a new password."""
    require_admin(actor, "reset passwords")
    user = users.get_user(session, username)
    # the policy is checked there, and the user's open sessions end with the old password
    ended = users.set_password(session, user, password)
    audit.record(session, actor, "user.password_reset", username=user.username,
                 sessions_ended=ended)
    return user


def set_groups(session: Session, actor: Actor, username: str, groups: Iterable[str]) -> User:
    """Replace a user's groups, keeping the ones their office roles give."""
    require_admin(actor, "change groups")
    wanted = set(_check_groups(groups))
    user = users.get_user(session, username)
    before = user.groups
    for membership in list(user.memberships):
        name = membership.group_name
        from_office = name.startswith(OFFICE_PREFIX) or "@" in name
        if not from_office and name not in wanted:
            user.memberships.remove(membership)
    have = {m.group_name for m in user.memberships}
    for name in sorted(wanted - have):
        user.memberships.append(Membership(group_name=name))
    session.flush()
    audit.record(session, actor, "user.groups_set", username=user.username,
                 before={"groups": before}, after={"groups": user.groups})
    return user


@dataclass(frozen=True)
class Post:
    """A role at an office, asked for by code."""

    office: str
    role: str
    posting: str = "resident"


def set_office_roles(session: Session, actor: Actor, username: str,
                     posts: Iterable[Post]) -> User:
    """Replace a user's office roles (and so their office-derived groups)."""
    require_admin(actor, "change office roles")
    user = users.get_user(session, username)
    wanted: list[tuple[Office, str, str]] = []
    problems = []
    for index, post in enumerate(posts):
        office = session.scalar(select(Office).where(Office.code == post.office))
        if office is None:
            problems.append(FieldError(f"postings[{index}].office", f"no office '{post.office}'"))
        if post.role not in ROLES:
            problems.append(FieldError(f"postings[{index}].role",
                                       f"must be one of {', '.join(ROLES)}"))
        if post.posting not in POSTINGS:
            problems.append(FieldError(f"postings[{index}].posting",
                                       f"must be one of {', '.join(POSTINGS)}"))
        if office is not None and not problems:
            wanted.append((office, post.role, post.posting))
    if problems:
        raise InvalidInput("some office roles cannot be set", problems)
    before = [f"{m.role}@{m.office.code}" for m in postings_of(session, user)]
    set_postings(session, user, wanted)
    audit.record(session, actor, "user.roles_set", username=user.username,
                 before={"roles": before},
                 after={"roles": [f"{role}@{office.code}" for office, role, _ in wanted]})
    return user


# -- offices ----------------------------------------------------------------------------


def list_offices(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Every office by code, with its staff count per role."""
    require_reader(actor, "list offices")
    staff: dict[int, dict[str, int]] = {}
    for office_id, role, n in session.execute(
            select(OfficeMember.office_id, OfficeMember.role, func.count())
            .group_by(OfficeMember.office_id, OfficeMember.role)):
        staff.setdefault(office_id, {})[role] = n
    out = []
    for office in session.scalars(select(Office).order_by(Office.code)):
        row = office_as_dict(office)
        row["staff"] = dict(sorted(staff.get(office.id, {}).items()))
        out.append(row)
    return out


def office_details(session: Session, actor: Actor, code: str) -> dict[str, Any]:
    """One office with its staff (user, role, posting) and its child offices."""
    require_reader(actor, "look at offices")
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        raise NotFound(f"office '{code}' not found")
    members = session.scalars(select(OfficeMember).join(User)
                              .where(OfficeMember.office_id == office.id)
                              .order_by(User.username, OfficeMember.role))
    children = session.scalars(select(Office).where(Office.parent_id == office.id)
                               .order_by(Office.code))
    body = office_as_dict(office)
    body["staff"] = [{"username": m.user.username, "display_name": m.user.display_name,
                      "active": m.user.active, "role": m.role, "posting": m.posting}
                     for m in members]
    body["children"] = [{"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en,
                         "level": c.level} for c in children]
    return body


# -- audit ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditQuery:
    """What to look for in the audit trail; every part is optional."""

    case: str | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _audit_filters(query: AuditQuery) -> list[ColumnElement[bool]]:
    filters: list[ColumnElement[bool]] = []
    if query.case:
        filters.append(Case.number == query.case.strip())
    if query.actor:
        filters.append(func.lower(AuditEvent.actor).like(like_pattern(query.actor),
                                                         escape="\\"))
    if query.action:
        # "task" finds task.completed, task.claimed ...; a full name finds only itself
        action = query.action.strip()
        filters.append(or_(AuditEvent.action == action,
                           AuditEvent.action.like(like_pattern(action)[1:-1] + ".%",
                                                  escape="\\")))
    if query.since:
        filters.append(AuditEvent.at >= query.since)
    if query.until:
        filters.append(AuditEvent.at < query.until)
    return filters


def search_audit(session: Session, actor: Actor, query: AuditQuery, *, limit: int = 50,
                 offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Audit events matching QUERY, newest first, with the case number; and the total."""
    require_reader(actor, "search the audit trail")
    if query.since and query.until and query.since >= query.until:
        raise InvalidInput("the date range is empty: 'since' must be before 'until'",
                           [FieldError("until", "must be after since")])
    stmt = (select(AuditEvent, Case.number).outerjoin(Case, Case.id == AuditEvent.case_id)
            .where(*_audit_filters(query)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(stmt.order_by(AuditEvent.id.desc()).limit(limit).offset(offset))
    return [{**audit.as_dict(event), "case": number} for event, number in rows], total
