"""Cross-site request forgery protection for everything a browser session can change.

Every page form carries the session's token in a hidden ``csrf_token`` field; scripts send
it in the ``X-CSRF-Token`` header (base.html puts it in a ``<meta name="csrf-token">``).
A state-changing request that rides on the session cookie without the right token is
refused with 400. Requests authenticated by a bearer token carry no ambient credential,
so they need no token.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, request, session
from werkzeug.exceptions import BadRequest

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SESSION_KEY = "csrf"


class CsrfRefused(BadRequest):
    """A form or script call came without the session's CSRF token."""

    description = "the form has expired or did not come from this site; reload and try again"


def token() -> str:
    """The session's CSRF token, made on first use."""
    value = session.get(SESSION_KEY)
    if not isinstance(value, str) or not value:
        value = secrets.token_urlsafe(32)
        session[SESSION_KEY] = value
    return value


def _sent() -> str:
    header = request.headers.get(HEADER)
    if header:
        return header
    # reading form fields of an upload parses the body, which a form post needs anyway
    return str(request.form.get(FIELD, "")) if request.mimetype in (
        "application/x-www-form-urlencoded", "multipart/form-data") else ""


def protect() -> None:
    """Refuse an unsafe request that relies on the session cookie without the token."""
    if request.method in SAFE_METHODS or request.headers.get("Authorization"):
        return
    expected = session.get(SESSION_KEY)
    if not expected and not session and request.path.startswith("/api/"):
        # no cookie, no ambient authority: the API answers 401 itself
        return
    if not expected or not hmac.compare_digest(str(expected), _sent()):
        raise CsrfRefused()


def init(app: Flask) -> None:
    """Check every request and offer csrf_token() to templates."""
    app.before_request(protect)
    app.add_template_global(token, "csrf_token")
