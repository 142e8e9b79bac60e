"""Who is signed in to the pages, and the decorators that keep pages to the right people.

The signed session cookie holds the random id of a server-side session (engine.org.sessions);
each request checks that session is still open and reloads its user (groups and the active
flag may change meanwhile). Signing out, a new password and an administrator's "sign out
everywhere" end sessions on the server, so a copy of an old cookie opens nothing. The same
actor is offered to the JSON API (web.auth.LOADERS), so page scripts can call /api/v1 with
the cookie and the CSRF header.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import current_app, g, redirect, request, session, url_for
from sqlalchemy.orm import Session

from engine.casework import search
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.core.errors import Forbidden
from engine.models import User
from engine.org import sessions
from engine.org.users import actor_of
from web.context import onething, transaction
from web.ui import csrf

P = ParamSpec("P")
R = TypeVar("R")

SESSION_KEY = "sid"
# a session ends this long after it began, however busy (the idle limit is the cookie's)
MAX_SESSION_HOURS = 24
# groups that see the applicant portal; agents apply for their principals there
APPLICANT_GROUPS = frozenset({"applicant", "agent"})
CLERK_GROUPS = frozenset({"window_clerk", "reviewer", "agent", "supervisor"})
DESIGNER_GROUPS = frozenset({"designer"})
ADMIN_GROUPS = frozenset({"admin", "leader", "supervisor"})
OVERSIGHT_GROUPS = frozenset({"leader", "supervisor"})
# staff who search cases; agents and applicants do not
SEARCH_GROUPS = search.STAFF


def limits() -> tuple[timedelta, timedelta]:
    """How long a session may stay unused, and how long it may last at all."""
    idle = current_app.permanent_session_lifetime
    hours = int(current_app.config.get("SESSION_MAX_HOURS", MAX_SESSION_HOURS))
    return idle, timedelta(hours=hours)


def sign_in(db: Session, user: User) -> None:
    """Start a fresh session for USER (a new CSRF token, nothing kept from before)."""
    secret = sessions.open_session(db, user.id)
    session.clear()
    session[SESSION_KEY] = secret
    session.permanent = True
    csrf.token()


def sign_out() -> None:
    """End this browser's session on the server and forget the cookie."""
    secret = session.get(SESSION_KEY)
    if isinstance(secret, str):
        with unit_of_work(onething().factory) as db:
            sessions.end_session(db, secret, sessions.SIGNED_OUT)
    session.clear()


def load() -> None:
    """Read the signed-in user once per request into g.ui_user and g.ui_actor."""
    if "ui_loaded" in g:
        return
    g.ui_loaded = True
    g.ui_user = None
    g.ui_actor = None
    secret = session.get(SESSION_KEY)
    if not isinstance(secret, str):
        return
    idle, lifetime = limits()
    with transaction() as db:
        row = sessions.find_open(db, secret, idle=idle, lifetime=lifetime)
        user = db.get(User, row.user_id) if row is not None else None
        if row is None or user is None or not user.active:
            session.clear()
            return
        stale = sessions.is_stale(row)
        g.ui_user = {"id": user.id, "username": user.username,
                     "display_name": user.display_name or user.username,
                     "locale": user.locale}
        g.ui_actor = actor_of(user)
        g.user_locale = user.locale
    if stale:
        # written apart from the request's own unit, which is read-only for a page view
        with unit_of_work(onething().factory) as db:
            sessions.touch(db, secret)


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
    if in_groups(who, SEARCH_GROUPS):
        out.append(("search", "/workbench/search"))
    if in_groups(who, DESIGNER_GROUPS):
        out.append(("studio", "/studio"))
    if in_groups(who, ADMIN_GROUPS):
        out += [("admin", "/admin"), ("dashboard", "/admin/dashboard")]
    return out
