"""Admin pages for users: list and search, create, deactivate, reset the password, set
groups and office roles. Leaders and supervisors see the pages without the forms."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engine.core.errors import InvalidInput, OnethingError
from engine.org import admin, sessions
from engine.org.users import sign_out_everywhere
from web.api.declare import read
from web.api.org.admin import NewPassword, NewUser, OfficeRoles, UserGroups, UserList
from web.context import transaction
from web.ui import names
from web.ui.admin.blueprint import bp
from web.ui.admin.pages import PAGE_SIZE, READERS, page_count, page_number
from web.ui.guard import actor, group_required, limits


def _fail(err: OnethingError) -> None:
    """Flash what was wrong with a form (403 still answers as a page)."""
    if err.status == 403:
        raise err
    flash(err.message, "error")
    if isinstance(err, InvalidInput):
        for field in err.fields:
            flash(f"{field.path}: {field.message}", "error")


def _words(text: str) -> list[str]:
    return [w for w in text.replace(",", " ").replace("，", " ").split() if w]


def _roles(text: str) -> OfficeRoles:
    """The office roles of the form, one a line: OFFICE ROLE [resident|mission]."""
    postings = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if len(parts) not in (2, 3):
            raise InvalidInput(_("Write one office role per line: "
                                 "OFFICE ROLE [resident|mission]"))
        postings.append(dict(zip(("office", "role", "posting"), parts, strict=False)))
    return read(OfficeRoles, {"postings": postings}, "form")


@bp.get("/users")
@group_required(*READERS)
def users() -> str:
    """Users by name, with a search and a group filter."""
    search = request.args.get("q", "").strip()
    group = request.args.get("group", "").strip()
    wanted = read(UserList, {"q": search or None, "group": group or None}, "query string")
    page = page_number()
    with transaction() as session:
        rows, total = admin.list_users(session, actor(), q=wanted.q, group=wanted.group,
                                       limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        found = [admin.user_as_dict(session, u) for u in rows]
        groups = sorted(((g, names.group_name(g)) for g in admin.held_groups(session, actor())),
                        key=lambda pair: pair[1])
    return render_template("admin/users.html", users=found, total=total, q=search,
                           group=group, groups=groups, page=page, pages=page_count(total))


@bp.post("/users")
@group_required(*READERS)
def create_user() -> Response:
    """Create a user from the form."""
    form = request.form
    try:
        new = read(NewUser, {"username": form.get("username", ""),
                             "password": form.get("password", ""),
                             "display_name": form.get("display_name", ""),
                             "groups": _words(form.get("groups", "")),
                             "admin": form.get("admin") == "true"}, "form")
        with transaction() as session:
            user = admin.create_user(session, actor(), new.username, new.password,
                                     display_name=new.display_name, groups=new.groups,
                                     admin=new.admin)
            name = user.username
    except OnethingError as err:
        _fail(err)
        return redirect(url_for(".users"))
    flash(_("User %(name)s created.", name=name), "success")
    return redirect(url_for(".user", username=name))


@bp.get("/users/<username>")
@group_required(*READERS)
def user(username: str) -> str:
    """One user with groups, office roles and (for administrators) the forms."""
    idle, lifetime = limits()
    with transaction() as session:
        account = admin.find_user(session, actor(), username)
        found = admin.user_as_dict(session, account)
        signed_in = sessions.count_open(session, account.id, idle=idle, lifetime=lifetime)
        offices = admin.list_offices(session, actor())
    roles_text = "\n".join(f"{p['office']} {p['role']} {p['posting']}"
                           for p in found["postings"])
    own = [g for g in found["groups"] if not g.startswith("office:") and "@" not in g]
    return render_template("admin/user.html", user=found, offices=offices,
                           groups_text=" ".join(own), roles_text=roles_text,
                           signed_in=signed_in)


@bp.post("/users/<username>/<action>")
@group_required(*READERS)
def change_user(username: str, action: str) -> Response:
    """Deactivate, activate, reset the password, set groups or office roles, or sign the
    user out everywhere."""
    form = request.form
    done = _("Saved.")
    try:
        with transaction() as session:
            who = actor()
            if action in ("deactivate", "activate"):
                admin.set_active(session, who, username, action == "activate")
            elif action == "password":
                new = read(NewPassword, {"password": form.get("password", "")}, "form")
                admin.reset_password(session, who, username, new.password)
            elif action == "groups":
                wanted = read(UserGroups, {"groups": _words(form.get("groups", ""))}, "form")
                admin.set_groups(session, who, username, wanted.groups)
            elif action == "roles":
                admin.set_office_roles(session, who, username,
                                       _roles(form.get("roles", "")).posts())
            elif action == "sign-out":
                ended = sign_out_everywhere(session, who, username)
                done = _("%(name)s is signed out everywhere (%(n)s sessions ended).",
                         name=username, n=ended)
            else:
                raise InvalidInput(_("Unknown action %(action)s.", action=action))
    except OnethingError as err:
        _fail(err)
        return redirect(url_for(".user", username=username))
    flash(done, "success")
    return redirect(url_for(".user", username=username))
