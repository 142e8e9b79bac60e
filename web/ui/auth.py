"""Sign in, sign out and the language switch."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_time
from werkzeug.wrappers import Response

from engine.core import clock
from engine.core.actors import Actor
from engine.core.errors import Throttled
from engine.models import User
from engine.org import throttle, users
from web.auth import client_address, sign_in_limits
from web.context import transaction
from web.ui import guard
from web.ui.i18n import LANG_COOKIE, LOCALES, _, normalise

bp = Blueprint("auth", __name__)

ONE_YEAR = 365 * 24 * 3600
Page = tuple[str, int] | tuple[str, int, dict[str, str]]


def safe_next(target: str | None, default: str = "/") -> str:
    """TARGET when it is a path on this site, else DEFAULT (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


# each role's start page, the first role a person holds deciding (admins go to admin home)
START_PAGES: tuple[tuple[str, str], ...] = (
    ("supervisor", "/workbench/supervision"),
    ("leader", "/admin/dashboard"),
    ("designer", "/studio"),
    ("window_clerk", "/workbench/desk"),
    ("reviewer", "/workbench"),
    ("applicant", "/portal/"),
    ("agent", "/portal/"),
)


def home_for_actor(who: Actor | None = None) -> str:
    """Where WHO (the signed-in person by default) lands: their role's start page, else
    their first section, else the portal."""
    who = who if who is not None else guard.current_actor()
    if who is not None and who.is_admin:
        return "/admin"
    for group, page in START_PAGES:
        if who is not None and group in who.groups:
            return page
    sections = guard.nav_sections(who)
    return sections[0][1] if sections else "/portal/"


def _form(target: str | None, username: str, error: str, status: int,
          headers: dict[str, str] | None = None) -> Page:
    page = render_template("auth/login.html", next=target or "", username=username,
                           error=error)
    return (page, status, headers) if headers else (page, status)


def _locked(err: Throttled, target: str | None, username: str) -> Page:
    """The sign-in form saying until when the account or the address is locked (429)."""
    until = format_time(clock.now() + timedelta(seconds=err.retry_after), "short")
    if err.scope == throttle.ACCOUNT:
        message = _("Too many failed sign-ins for this account: it is locked for a while. "
                    "Try again after %(time)s.", time=until)
    else:
        message = _("Too many failed sign-ins from your network address. "
                    "Try again after %(time)s.", time=until)
    return _form(target, username, message, 429, {"Retry-After": str(err.retry_after)})


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | Page | str:
    """The sign-in form; a right username and password start a session.

    Failures are counted per account and per client address (engine.org.throttle): past
    the limit the form answers 429 and says until when, without checking the password.
    """
    target = request.values.get("next")
    if request.method != "POST":  # GET, and the HEAD Flask answers with it
        return render_template("auth/login.html", next=target or "", username="", error=None)
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    wrong = _("Wrong username or password.")
    if not username:
        return _form(target, username, wrong, 401)
    limits, user, home = sign_in_limits(), None, "/portal/"
    try:
        # noted and committed first, then counted again: see engine.org.throttle
        with transaction() as db:
            attempt = throttle.begin_sign_in(db, limits, username, client_address())
        with transaction() as db:
            refusal = throttle.admitted(db, limits, attempt)
    except Throttled as err:
        refusal = err
    if refusal is None:
        with transaction() as db:
            user = users.verify_sign_in(db, username, password)
            if user is None:
                refusal = throttle.failed(db, limits, attempt)
            else:
                throttle.succeeded(db, attempt)
                guard.sign_in(db, user)
                home = home_for_actor(users.actor_of(user))
    if refusal is not None:
        return _locked(refusal, target, username)
    if user is None:
        return _form(target, username, wrong, 401)
    return redirect(safe_next(target, home))


@bp.post("/logout")
def logout() -> Response:
    """End the session (a POST with the CSRF token, so no page can sign anyone out)."""
    guard.sign_out()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language() -> Response:
    """Switch the page language: stored on the user, or in a cookie when signed out."""
    chosen = normalise(request.form.get("lang"))
    back = safe_next(request.form.get("next"), "/")
    response = redirect(back)
    if chosen not in LOCALES:
        flash(_("That language is not offered."), "error")
        return response
    user = guard.current_user()
    if user is not None:
        with transaction() as db:
            row = db.get(User, user["id"])
            if row is not None:
                row.locale = chosen
    response.set_cookie(LANG_COOKIE, str(chosen), max_age=ONE_YEAR, httponly=True,
                        samesite="Lax", secure=request.is_secure)
    return response


@bp.get("/")
def home() -> Response:
    """The front door: the person's own section, or the sign-in page."""
    if guard.current_actor() is None:
        return redirect(url_for("portal.bundles"))
    return redirect(home_for_actor())
