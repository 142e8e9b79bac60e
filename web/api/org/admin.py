"""The admin API: users (create, deactivate, password, groups, office roles), offices with
their staff, and the audit-trail search. Leaders and supervisors may read."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from flask import Blueprint
from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from engine.org import admin
from web.api.declare import Body, Paged, Reply, operation
from web.api.org.catalog import OfficeLevel, OfficeUnit
from web.context import actor, transaction

bp = Blueprint("admin", __name__, url_prefix="/admin")

LOCAL = ZoneInfo("Asia/Shanghai")
NOT_A_MOMENT = "must be a date (2026-05-01) or a date and time with offset"
Posting = Literal["resident", "mission"]
USER_ERRORS = ("403", "404", "409")
# the engine holds the password policy and names every way a password falls short of it
POLICY = f"at least {admin.MIN_PASSWORD} characters, as the password policy asks (a 422 names " \
    "each rule it misses)"


def moment(text: str, *, end: bool = False) -> datetime:
    """Read a date (county time) or a date and time as UTC; END takes a date's next day."""
    # the next day, so that the date itself is included; ValueError or OverflowError (past
    # the ends of the calendar) when TEXT is no moment
    if len(text) == 10:
        day = date.fromisoformat(text) + timedelta(days=1 if end else 0)
        return datetime.combine(day, time(), LOCAL).astimezone(UTC)
    found = datetime.fromisoformat(text)
    return (found if found.tzinfo else found.replace(tzinfo=LOCAL)).astimezone(UTC)


# --- what comes in ----------------------------------------------------------------------

class UserList(Paged):
    """Which users to list (the users page reads the same filters)."""

    q: str | None = Field(None, description="search in names")
    group: str | None = Field(None, description="only this group")


class NewUser(Body):
    """A user to create (the users page reads its form with this too)."""

    username: str = Field(min_length=1, max_length=80,
                          description="1-80 characters without spaces")
    password: str = Field(min_length=1, description=POLICY)
    display_name: str = ""
    groups: list[str] = Field(default_factory=list)
    admin: bool = Field(False, description="an administrator")


class NewPassword(Body):
    password: str = Field(min_length=1, description=POLICY)


class UserGroups(Body):
    groups: list[str] = Field(description="the groups besides those office roles give")


class OfficePost(Body):
    """A role at an office."""

    office: str = Field(min_length=1, description="office code")
    role: str = Field(min_length=1)
    posting: Posting = "resident"


class OfficeRoles(Body):
    postings: list[OfficePost]

    def posts(self) -> list[admin.Post]:
        """Hand the office roles over as the engine takes them."""
        return [admin.Post(p.office, p.role, p.posting) for p in self.postings]


class AuditSearch(Paged):
    """What to look for in the audit trail (the audit page reads the same filters)."""

    case: str | None = Field(None, description="case number")
    actor: str | None = Field(None, description="part of the actor's name")
    action: str | None = Field(None, description="an action (task.completed) or its prefix "
                                                 "(task)")
    since: str | None = Field(None, description="from this date or time")
    until: str | None = Field(None, description="up to this date (inclusive) or time")

    @field_validator("since", "until")
    @classmethod
    def _is_moment(cls, text: str | None, info: ValidationInfo) -> str | None:
        """Refuse a bound that is no date or date and time."""
        try:
            if text:
                moment(text, end=info.field_name == "until")
        except (ValueError, OverflowError):
            raise PydanticCustomError("moment", NOT_A_MOMENT) from None
        return text

    def wanted(self) -> admin.AuditQuery:
        """Make the engine's audit query of these filters."""
        return admin.AuditQuery(
            case=self.case or None, actor=self.actor or None, action=self.action or None,
            since=moment(self.since) if self.since else None,
            until=moment(self.until, end=True) if self.until else None)


# --- what goes out ----------------------------------------------------------------------

class UserPosting(Reply):
    """A role a user holds at an office."""

    office: str
    office_name_zh: str
    office_name_en: str
    role: str
    posting: Posting


class AdminUser(Reply):
    """A user for the administrators (never the password)."""

    username: str
    display_name: str
    is_admin: bool
    active: bool
    created_at: datetime
    groups: list[str]
    postings: list[UserPosting]


class AdminUserPage(Reply):
    """A page of users."""

    items: list[AdminUser]
    total: int
    limit: int
    offset: int


class AdminOffice(OfficeUnit):
    """An office with its staff counts."""

    staff: dict[str, int] = Field(description="number of staff per role")


class AdminOfficeList(Reply):
    items: list[AdminOffice]


class OfficeStaff(Reply):
    """Someone who holds a role at an office."""

    username: str
    display_name: str
    active: bool
    role: str
    posting: Posting


class ChildOffice(Reply):
    code: str
    name_zh: str
    name_en: str
    level: OfficeLevel


class OfficeDetails(OfficeUnit):
    """One office with its staff and its child offices."""

    staff: list[OfficeStaff]
    children: list[ChildOffice]


class AuditEntry(Reply):
    """An audit event, with the number of its case."""

    id: int
    at: datetime
    actor: str
    action: str
    task_id: str | None
    element_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    detail: dict[str, Any]
    case: str | None = Field(description="the case number, if it is about a case")


class AuditPage(Reply):
    """A page of audit events, newest first."""

    items: list[AuditEntry]
    total: int
    limit: int
    offset: int


# --- the routes -------------------------------------------------------------------------

@bp.get("/users")
@operation("adminUsers", tag="admin", query=UserList, ok={200: AdminUserPage},
           errors=("403",))
def users(query: UserList) -> dict[str, Any]:
    """Users, by name."""
    with transaction() as session:
        rows, total = admin.list_users(session, actor(), q=query.q, group=query.group,
                                       limit=query.limit, offset=query.offset)
        found = [admin.user_as_dict(session, u) for u in rows]
    return {"items": found, "total": total, "limit": query.limit, "offset": query.offset}


@bp.post("/users")
@operation("adminCreateUser", tag="admin", body=NewUser, ok={201: AdminUser},
           errors=USER_ERRORS)
def create_user(json: NewUser) -> tuple[dict[str, Any], int]:
    """Create a user."""
    with transaction() as session:
        user = admin.create_user(session, actor(), json.username, json.password,
                                 display_name=json.display_name, groups=json.groups,
                                 admin=json.admin)
        return admin.user_as_dict(session, user), 201


@bp.get("/users/<username>")
@operation("adminUser", tag="admin", ok={200: AdminUser}, errors=("403", "404"))
def user(username: str) -> dict[str, Any]:
    """One user."""
    with transaction() as session:
        return admin.user_as_dict(session, admin.find_user(session, actor(), username))


@bp.post("/users/<username>/deactivate")
@operation("adminDeactivateUser", tag="admin", ok={200: AdminUser}, errors=USER_ERRORS)
def deactivate(username: str) -> dict[str, Any]:
    """Deactivate a user."""
    with transaction() as session:
        return admin.user_as_dict(session, admin.set_active(session, actor(), username, False))


@bp.post("/users/<username>/activate")
@operation("adminActivateUser", tag="admin", ok={200: AdminUser}, errors=USER_ERRORS)
def activate(username: str) -> dict[str, Any]:
    """Reactivate a user."""
    with transaction() as session:
        return admin.user_as_dict(session, admin.set_active(session, actor(), username, True))


@bp.post("/users/<username>/password")
@operation("adminResetPassword", tag="admin", body=NewPassword, ok={200: AdminUser},
           errors=USER_ERRORS)
def password(username: str, json: NewPassword) -> dict[str, Any]:
    """Set a new password."""
    with transaction() as session:
        return admin.user_as_dict(session, admin.reset_password(session, actor(), username,
                                                                json.password))


@bp.put("/users/<username>/groups")
@operation("adminSetGroups", tag="admin", body=UserGroups, ok={200: AdminUser},
           errors=USER_ERRORS)
def groups(username: str, json: UserGroups) -> dict[str, Any]:
    """Replace the groups (office-role groups stay)."""
    with transaction() as session:
        return admin.user_as_dict(session, admin.set_groups(session, actor(), username,
                                                            json.groups))


@bp.put("/users/<username>/roles")
@operation("adminSetRoles", tag="admin", body=OfficeRoles, ok={200: AdminUser},
           errors=USER_ERRORS)
def roles(username: str, json: OfficeRoles) -> dict[str, Any]:
    """Replace the office roles."""
    with transaction() as session:
        return admin.user_as_dict(session, admin.set_office_roles(session, actor(), username,
                                                                  json.posts()))


@bp.get("/offices")
@operation("adminOffices", tag="admin", ok={200: AdminOfficeList}, errors=("403",))
def offices() -> dict[str, Any]:
    """Offices with staff counts."""
    with transaction() as session:
        return {"items": admin.list_offices(session, actor())}


@bp.get("/offices/<code>")
@operation("adminOffice", tag="admin", ok={200: OfficeDetails}, errors=("403", "404"))
def office(code: str) -> dict[str, Any]:
    """One office with its staff."""
    with transaction() as session:
        return admin.office_details(session, actor(), code)


@bp.get("/audit")
@operation("adminAudit", tag="admin", query=AuditSearch, ok={200: AuditPage},
           errors=("403",))
def audit(query: AuditSearch) -> dict[str, Any]:
    """Search the audit trail, newest first."""
    with transaction() as session:
        rows, total = admin.search_audit(session, actor(), query.wanted(), limit=query.limit,
                                         offset=query.offset)
    return {"items": rows, "total": total, "limit": query.limit, "offset": query.offset}
