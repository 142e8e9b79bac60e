"""The browser pages: sessions, CSRF, languages, front-end packages, page blueprints, errors.

``register(app)`` is called once by the app factory. Other page blueprints (workbench,
studio, admin) build on what is here: ``guard`` for who may open a page, ``forms`` for
JSON Schema forms, ``templates/base.html`` and ``templates/_macros.html`` for the layout.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import Flask, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from engine.core.errors import OnethingError, Unauthorized
from web import auth as api_auth
from web import errors as api_errors
from web.ui import assets, csrf, engine_text, forms, guard, i18n, names, upload_limits
from web.ui.i18n import _

log = logging.getLogger(__name__)

# paths whose errors stay problem+json and whose requests skip the page session
NOT_PAGES = ("/api/", "/static/", "/vendor/", "/healthz")
SESSION_HOURS = 12
# Scripts, styles, fonts and images come from this site only, and no inline script runs
# (page behaviour lives in web/static/js). data: serves the fonts and icons bpmn-js embeds
# in its style sheets; pages are never framed, and forms post only here.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self' data:", "connect-src 'self'", "form-action 'self'",
    "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"))


def _is_page() -> bool:
    return not request.path.startswith(NOT_PAGES) and request.path != "/api"


def _error_page(status: int, title: str, detail: str) -> tuple[str, int]:
    return render_template("error.html", status=status, title=title, detail=detail), status


def _titles() -> dict[int, str]:
    return {400: _("The request could not be handled"), 401: _("Please sign in"),
            403: _("You may not open this page"), 404: _("Not found"),
            405: _("Not allowed"), 409: _("Changed meanwhile"),
            413: _("Too large"), 422: _("Some input is not right"),
            500: _("Something went wrong on our side")}


def _generic_details() -> dict[int, str]:
    return {404: _("There is no such page. Check the address or start again from the "
                   "start page."),
            405: _("This page cannot be used that way."),
            413: _("What you sent is larger than this service accepts.")}


def engine_error(err: OnethingError) -> Response | tuple[str, int]:
    """Pages get a friendly page (or the sign-in page for 401); the API its problem+json."""
    if not _is_page():
        return api_errors.engine_error(err)
    if isinstance(err, Unauthorized):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if err.status >= 500:
        log.warning("%s: %s", err.title, err.message)
    return _error_page(err.status, _titles().get(err.status, err.title), engine_text.say(err))


def http_error(err: HTTPException) -> Response | tuple[str, int]:
    """Werkzeug's errors (404, 405, 400 for a missing CSRF token ...) on pages and the API."""
    if not _is_page():
        return api_errors.http_error(err)
    status = err.code or 500
    detail = err.description or err.name
    if isinstance(err, csrf.CsrfRefused):
        detail = _("The form has expired or did not come from this site; reload the page "
                   "and try again.")
    elif status == 413:
        detail = upload_limits.too_large_text()
    elif detail == type(err).description:
        # Werkzeug's stock English sentence: say it in the page's language instead
        detail = _generic_details().get(status, detail)
    return _error_page(status, _titles().get(status, err.name), detail)


def unexpected_error(err: Exception) -> Response | tuple[str, int]:
    """Log the traceback; a page says sorry, the API answers problem+json."""
    if not _is_page():
        return api_errors.unexpected_error(err)
    log.exception("unexpected error on a page: %s", err.__class__.__name__)
    return _error_page(500, _titles()[500], _("It has been logged; please try again later."))


def _load_user() -> None:
    if _is_page():
        guard.load()


def _page_context() -> dict[str, Any]:
    if not _is_page():
        return {}
    who = guard.current_actor()
    return {"me": guard.current_user(), "me_actor": who, "nav": guard.nav_sections(who)}


def _headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # pages show personal data: never from a shared cache
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def register(app: Flask) -> None:
    """Install the page machinery and blueprints on APP."""
    from web.settings import env_flag

    app.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        # behind HTTPS (ONETHING_HTTPS=true) the cookie never travels in clear text
        SESSION_COOKIE_SECURE=bool(app.config.get("HTTPS", env_flag("ONETHING_HTTPS", False))),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS))
    i18n.init(app)
    names.init(app)
    upload_limits.init(app)
    # bilingual model texts ("受理审查 Check materials and accept") in the page's language
    app.add_template_filter(lambda text: forms.localize(text, i18n.lang()), "local")
    csrf.init(app)
    app.before_request(_load_user)
    app.context_processor(_page_context)
    app.after_request(_headers)
    if guard.session_actor not in api_auth.LOADERS:
        api_auth.LOADERS.append(guard.session_actor)
    app.register_error_handler(OnethingError, engine_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected_error)
    app.register_blueprint(assets.bp)
    from web.ui import admin, auth, portal, studio, workbench
    from web.ui.portal.service import bp as portal_service_bp

    # sign-in, the applicant portal and its service pages, the designer studio, the
    # administration pages with the dashboard, and the clerk's workbench
    for pages in (auth, portal, studio, admin, workbench):
        app.register_blueprint(pages.bp)
    app.register_blueprint(portal_service_bp)
