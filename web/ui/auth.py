"""Sign in, sign out and the language switch."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from engine.models import User
from engine.org.users import check_password
from web.context import transaction
from web.ui import guard
from web.ui.i18n import LANG_COOKIE, LOCALES, _, normalise

bp = Blueprint("auth", __name__)

ONE_YEAR = 365 * 24 * 3600


def safe_next(target: str | None, default: str = "/") -> str:
    """TARGET when it is a path on this site, else DEFAULT (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def home_for_actor() -> str:
    """Where a person lands after signing in: their first section, else the portal."""
    sections = guard.nav_sections(guard.current_actor())
    return sections[0][1] if sections else "/portal/"


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    """The sign-in form; a right username and password start a session."""
    target = request.values.get("next")
    if request.method == "GET":
        return render_template("auth/login.html", next=target or "", username="", error=None)
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    with transaction() as db:
        user = db.scalar(select(User).where(User.username == username)) if username else None
        ok = (user is not None and user.active
              and check_password(user.password_hash, password))
        if ok and user is not None:
            guard.sign_in(user)
    if not ok:
        return render_template("auth/login.html", next=target or "", username=username,
                               error=_("Wrong username or password.")), 401
    return redirect(safe_next(target, home_for_actor()))


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
