"""The admin API: users (create, deactivate, password, groups, office roles), offices with
their staff, and the audit-trail search. Leaders and supervisors may read."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, request

from engine.core.errors import FieldError, InvalidInput
from engine.org import admin
from web.api.validation import Fields, json_object, paging
from web.context import actor, transaction

bp = Blueprint("admin", __name__, url_prefix="/admin")

LOCAL = ZoneInfo("Asia/Shanghai")


def parse_moment(text: str | None, field: str, *, end: bool = False) -> datetime | None:
    """A date (county time; END takes the day after, so the day is included) or a datetime."""
    if not text:
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text) + timedelta(days=1 if end else 0)
            return datetime.combine(day, time(), LOCAL).astimezone(UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"'{field}' is not a date", [FieldError(
            field, "must be a date (2026-05-01) or a date and time with offset")]) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=LOCAL)).astimezone(UTC)


def audit_query(source: Fields) -> admin.AuditQuery:
    """The audit search asked for by query fields (shared with the pages)."""
    return admin.AuditQuery(
        case=source.text("case") or None, actor=source.text("actor") or None,
        action=source.text("action") or None,
        since=parse_moment(source.text("since"), "since"),
        until=parse_moment(source.text("until"), "until", end=True))


@bp.get("/users")
def users() -> dict[str, Any]:
    """Users by name, with a search text and a group filter."""
    query = Fields(request.args, query=True)
    search, group = query.text("q"), query.text("group")
    limit, offset = paging(query)
    query.done(allow_unknown=True)
    with transaction() as session:
        rows, total = admin.list_users(session, actor(), q=search, group=group, limit=limit,
                                       offset=offset)
        found = [admin.user_as_dict(session, u) for u in rows]
    return {"items": found, "total": total, "limit": limit, "offset": offset}


@bp.post("/users")
def create_user() -> tuple[dict[str, Any], int]:
    """Create a user with a password, groups and (optionally) administrator rights."""
    body = Fields(json_object())
    username = body.text("username", required=True)
    password = body.text("password", required=True)
    display_name = body.text("display_name", default="")
    groups = body.items("groups") or []
    is_admin = body.flag("admin")
    body.done()
    with transaction() as session:
        user = admin.create_user(session, actor(), username or "", password or "",
                                 display_name=display_name or "", groups=groups,
                                 admin=is_admin)
        return admin.user_as_dict(session, user), 201


@bp.get("/users/<username>")
def user(username: str) -> dict[str, Any]:
    """One user with groups and office roles."""
    with transaction() as session:
        return admin.user_as_dict(session, admin.find_user(session, actor(), username))


@bp.post("/users/<username>/deactivate")
def deactivate(username: str) -> dict[str, Any]:
    """Stop a user signing in or using tokens."""
    with transaction() as session:
        return admin.user_as_dict(session, admin.set_active(session, actor(), username, False))


@bp.post("/users/<username>/activate")
def activate(username: str) -> dict[str, Any]:
    """Let a deactivated user in again."""
    with transaction() as session:
        return admin.user_as_dict(session, admin.set_active(session, actor(), username, True))


@bp.post("/users/<username>/password")
def password(username: str) -> dict[str, Any]:
    """Set a new password for a user."""
    body = Fields(json_object())
    new = body.text("password", required=True)
    body.done()
    with transaction() as session:
        return admin.user_as_dict(session, admin.reset_password(session, actor(), username,
                                                                new or ""))


@bp.put("/users/<username>/groups")
def groups(username: str) -> dict[str, Any]:
    """Replace a user's groups (office-role groups stay)."""
    body = Fields(json_object())
    wanted = body.items("groups", required=True)
    body.done()
    with transaction() as session:
        return admin.user_as_dict(session, admin.set_groups(session, actor(), username,
                                                            wanted or []))


def _posts(raw: list[Any]) -> list[admin.Post]:
    posts, problems = [], []
    for index, entry in enumerate(raw):
        fields = Fields(entry if isinstance(entry, dict) else {})
        office, role = fields.text("office", required=True), fields.text("role", required=True)
        posting = fields.text("posting", default="resident")
        try:
            fields.done()
        except InvalidInput as err:
            problems += [FieldError(f"postings[{index}].{e.path}", e.message)
                         for e in err.fields]
            continue
        posts.append(admin.Post(office or "", role or "", posting or "resident"))
    if problems:
        raise InvalidInput("some office roles are not right", problems)
    return posts


@bp.put("/users/<username>/roles")
def roles(username: str) -> dict[str, Any]:
    """Replace a user's office roles: [{office, role, posting}]."""
    body = Fields(json_object())
    raw = body.items("postings", required=True)
    body.done()
    posts = _posts(raw or [])
    with transaction() as session:
        return admin.user_as_dict(session, admin.set_office_roles(session, actor(), username,
                                                                  posts))


@bp.get("/offices")
def offices() -> dict[str, Any]:
    """Every office with staff counts per role."""
    with transaction() as session:
        return {"items": admin.list_offices(session, actor())}


@bp.get("/offices/<code>")
def office(code: str) -> dict[str, Any]:
    """One office with its staff and child offices."""
    with transaction() as session:
        return admin.office_details(session, actor(), code)


@bp.get("/audit")
def audit() -> dict[str, Any]:
    """Audit events by case number, actor, action and date range, newest first."""
    query = Fields(request.args, query=True)
    wanted = audit_query(query)
    limit, offset = paging(query)
    query.done(allow_unknown=True)
    with transaction() as session:
        rows, total = admin.search_audit(session, actor(), wanted, limit=limit, offset=offset)
    return {"items": rows, "total": total, "limit": limit, "offset": offset}


def openapi_paths() -> dict[str, Any]:
    """The admin operations for the OpenAPI document."""
    from web.openapi import PAGING, _json, _op, _path, _query
    from web.openapi_types import BOOL, INT, OBJ, STR, TIME, nullable, obj

    posting = obj({"office": STR, "role": STR, "posting": {"enum": ["resident", "mission"]}},
                  ("office", "role"), closed=False)
    user_schema = obj({"username": STR, "display_name": STR, "is_admin": BOOL, "active": BOOL,
                       "created_at": TIME, "groups": {"type": "array", "items": STR},
                       "postings": {"type": "array", "items": posting}},
                      ("username", "active", "groups"), closed=False)
    one_user = {"200": _json(user_schema, "The user")}
    name = _path("username", "user name")

    def body(schema: dict[str, Any]) -> dict[str, Any]:
        return {"requestBody": {"required": True, "content": {
            "application/json": {"schema": schema}}}}

    def write(op_id: str, summary: str, ok: dict[str, Any], schema: dict[str, Any] | None,
              params: list[dict[str, Any]]) -> dict[str, Any]:
        codes = ("403", "404", "409") + (("400", "413", "415", "422") if schema else ())
        op = _op(op_id, summary, "admin", ok, *codes, params=params)
        return {**op, **body(schema)} if schema else op

    page = obj({"items": {"type": "array", "items": user_schema}, "total": INT, "limit": INT,
                "offset": INT}, ("items", "total"))
    office = obj({"code": STR, "name_zh": STR, "name_en": STR, "level": STR,
                  "parent": nullable(STR), "staff": {}}, ("code", "level"), closed=False)
    return {
        "/api/v1/admin/users": {
            "get": _op("adminUsers", "Users, by name", "admin", {"200": _json(page, "Users")},
                       "403", "422", params=[_query("q", "search in names", {"type": "string"}),
                                             _query("group", "only this group",
                                                    {"type": "string"}), *PAGING]),
            "post": write("adminCreateUser", "Create a user", {"201": _json(user_schema,
                                                                            "The user")},
                          obj({"username": STR, "password": {"type": "string", "minLength": 8},
                               "display_name": STR, "groups": {"type": "array", "items": STR},
                               "admin": BOOL}, ("username", "password")), []),
        },
        "/api/v1/admin/users/{username}": {
            "get": _op("adminUser", "One user", "admin", one_user, "403", "404",
                       params=[name]),
        },
        "/api/v1/admin/users/{username}/deactivate": {
            "post": write("adminDeactivateUser", "Deactivate a user", one_user, None, [name]),
        },
        "/api/v1/admin/users/{username}/activate": {
            "post": write("adminActivateUser", "Reactivate a user", one_user, None, [name]),
        },
        "/api/v1/admin/users/{username}/password": {
            "post": write("adminResetPassword", "Set a new password", one_user,
                          obj({"password": {"type": "string", "minLength": 8}},
                              ("password",)), [name]),
        },
        "/api/v1/admin/users/{username}/groups": {
            "put": write("adminSetGroups", "Replace the groups (office-role groups stay)",
                         one_user, obj({"groups": {"type": "array", "items": STR}},
                                       ("groups",)), [name]),
        },
        "/api/v1/admin/users/{username}/roles": {
            "put": write("adminSetRoles", "Replace the office roles", one_user,
                         obj({"postings": {"type": "array", "items": posting}},
                             ("postings",)), [name]),
        },
        "/api/v1/admin/offices": {
            "get": _op("adminOffices", "Offices with staff counts", "admin",
                       {"200": _json(obj({"items": {"type": "array", "items": office}},
                                         ("items",)), "Offices")}, "403"),
        },
        "/api/v1/admin/offices/{code}": {
            "get": _op("adminOffice", "One office with its staff", "admin",
                       {"200": _json(office, "The office")}, "403", "404",
                       params=[_path("code", "office code")]),
        },
        "/api/v1/admin/audit": {
            "get": _op("adminAudit", "Search the audit trail, newest first", "admin",
                       {"200": _json(obj({"items": {"type": "array", "items": OBJ},
                                          "total": INT, "limit": INT, "offset": INT},
                                         ("items", "total")), "Events")}, "403", "422",
                       params=[_query("case", "case number", {"type": "string"}),
                               _query("actor", "part of the actor's name", {"type": "string"}),
                               _query("action", "an action (task.completed) or its prefix "
                                                "(task)", {"type": "string"}),
                               _query("since", "from this date or time", {"type": "string"}),
                               _query("until", "up to this date (inclusive) or time",
                                      {"type": "string"}), *PAGING]),
        },
    }
