"""Who is signed in to the pages, and the decorators that keep pages to the right people.

The browser session holds the user's id and a stamp of the password hash it signed in
with; each request reloads the user (groups and the active flag may change meanwhile) and
a changed password or a disabled account ends the session. The same actor is offered to
the JSON API (web.auth.LOADERS), so page scripts can call /api/v1 with the cookie and the
CSRF header.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import g, redirect, request, session, url_for

from engine.core.actors import Actor
from engine.core.errors import Forbidden
from engine.models import User
from engine.org.users import actor_of
from web.context import transaction
from web.ui import csrf

P = ParamSpec("P")
R = TypeVar("R")

USER_KEY = "uid"
STAMP_KEY = "ustamp"
# groups that see the applicant portal; agents apply for their principals there
APPLICANT_GROUPS = frozenset({"applicant", "agent"})
CLERK_GROUPS = frozenset({"window_clerk", "reviewer", "agent", "supervisor"})
DESIGNER_GROUPS = frozenset({"designer"})
ADMIN_GROUPS = frozenset({"admin", "leader", "supervisor"})
OVERSIGHT_GROUPS = frozenset({"leader", "supervisor"})


def password_stamp(user: User) -> str:
    """A short digest of the user's password hash: a new password ends older sessions."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def sign_in(user: User) -> None:
    """Start a fresh session for USER (a new CSRF token, nothing kept from before)."""
    session.clear()
    session[USER_KEY] = user.id
    session[STAMP_KEY] = password_stamp(user)
    session.permanent = True
    csrf.token()


def sign_out() -> None:
    """End the session."""
    session.clear()


def load() -> None:
    """Read the signed-in user once per request into g.ui_user and g.ui_actor."""
    if "ui_loaded" in g:
        return
    g.ui_loaded = True
    g.ui_user = None
    g.ui_actor = None
    uid = session.get(USER_KEY)
    if not isinstance(uid, int):
        return
    with transaction() as db:
        user = db.get(User, uid)
        if user is None or not user.active or session.get(STAMP_KEY) != password_stamp(user):
            session.clear()
            return
        g.ui_user = {"id": user.id, "username": user.username,
                     "display_name": user.display_name or user.username,
                     "locale": user.locale}
        g.ui_actor = actor_of(user)
        g.user_locale = user.locale


def current_actor() -> Actor | None:
    """The signed-in person, or None."""
    load()
    found: Actor | None = g.ui_actor
    return found


def current_user() -> dict[str, Any] | None:
    """id, username, display_name and locale of the signed-in person, or None."""
    load()
    found: dict[str, Any] | None = g.ui_user
    return found


def session_actor() -> Actor | None:
    """The API's actor loader for browser calls (see web.auth.LOADERS)."""
    return current_actor()


def in_groups(actor: Actor | None, groups: frozenset[str]) -> bool:
    """Whether ACTOR is an admin or a member of one of GROUPS."""
    return actor is not None and (actor.is_admin or bool(actor.groups & groups))


def login_required(view: Callable[P, R]) -> Callable[P, Any]:
    """Send a visitor who is not signed in to the login page, then back here."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> Any:
        if current_actor() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def group_required(*groups: str) -> Callable[[Callable[P, R]], Callable[P, Any]]:
    """Like login_required, and answer 403 unless the person is in one of GROUPS or admin."""
    wanted = frozenset(groups)

    def decorate(view: Callable[P, R]) -> Callable[P, Any]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> Any:
            actor = current_actor()
            if actor is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not in_groups(actor, wanted):
                raise Forbidden(f"{actor.username} may not open this page "
                                f"(needs one of the groups: {', '.join(sorted(wanted))})")
            return view(*args, **kwargs)

        return wrapped

    return decorate


def actor() -> Actor:
    """The signed-in person inside a view protected by login_required or group_required."""
    found = current_actor()
    if found is None:
        raise Forbidden("sign in first")
    return found


def nav_sections(who: Actor | None) -> list[tuple[str, str]]:
    """The (section, url) links the header shows to WHO, by role."""
    if who is None:
        return []
    out: list[tuple[str, str]] = []
    if in_groups(who, APPLICANT_GROUPS):
        out += [("bundles", "/portal/"), ("my_cases", "/portal/cases"),
                ("notifications", "/portal/notifications")]
        out += [("appointments", "/portal/appointments"), ("visits", "/portal/visits")]
    if in_groups(who, CLERK_GROUPS):
        out.append(("workbench", "/workbench"))
    elif in_groups(who, OVERSIGHT_GROUPS):
        # leaders follow cases through supervision, not through an inbox
        out.append(("supervision", "/workbench/supervision"))
    if in_groups(who, DESIGNER_GROUPS):
        out.append(("studio", "/studio"))
    if in_groups(who, ADMIN_GROUPS):
        out += [("admin", "/admin"), ("dashboard", "/admin/dashboard")]
    return out
