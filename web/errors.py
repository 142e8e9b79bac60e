"""Every error the web app answers, as RFC 9457 application/problem+json, in one place."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, Response, current_app, json, request
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from engine.casework.forms import check_storable
from engine.core.errors import OnethingError, Throttled

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
_WORDS = re.compile(r"[^a-z0-9]+")


def problem_type(title: str) -> str:
    """A stable, non-dereferenceable URI naming the kind of problem."""
    return "urn:onething:problem:" + _WORDS.sub("-", title.lower()).strip("-")


def problem(status: int, title: str, detail: str, *, headers: dict[str, str] | None = None,
            **extra: Any) -> Response:
    """Build a problem+json response; EXTRA members follow the standard ones."""
    body: dict[str, Any] = {"type": problem_type(title), "title": title, "status": status,
                            "detail": detail}
    body.update({k: v for k, v in extra.items() if k not in body})
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def engine_error(err: OnethingError) -> Response:
    """Answer an engine error with its own status, title, message and details."""
    headers = {}
    if err.status == 401:
        # RFC 6750: name the error only when a credential was offered
        offered = bool(request.headers.get("Authorization"))
        headers["WWW-Authenticate"] = ('Bearer realm="onething"'
                                       + (', error="invalid_token"' if offered else ""))
    if isinstance(err, Throttled):
        headers["Retry-After"] = str(err.retry_after)
    if err.status >= 500:
        log.warning("%s: %s", err.title, err.message)
    return problem(err.status, err.title, err.message, headers=headers, **err.details())


def http_error(err: HTTPException) -> Response:
    """Answer Werkzeug's 4xx/5xx (404, 405, 413, 400 ...) as problem+json."""
    status = err.code or 500
    headers = {}
    if isinstance(err, MethodNotAllowed) and err.valid_methods:
        headers["Allow"] = ", ".join(sorted(err.valid_methods))
    detail = err.description or err.name
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        mb = f"{limit / 1048576:g}" if limit else ""
        detail = (f"the request body is larger than the {mb} MB limit" if limit
                  else "the request body is larger than this server accepts")
        if limit:
            return problem(status, err.name, detail, headers=headers, limit_bytes=limit,
                           limit_mb=float(mb) if "." in mb else int(mb))
    return problem(status, err.name, detail, headers=headers)


def database_error(err: DBAPIError) -> Response:
    """Lost connections and missing tables are 503, duplicate keys 409, bad values 422."""
    reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0][:200]
    if isinstance(err, IntegrityError):
        # two commands raced to create the same row (a deploy, a user); one won
        log.info("integrity conflict: %s", reason)
        return problem(409, "Conflict", "the request conflicts with a change made meanwhile; "
                       "look again and retry")
    if isinstance(err, DataError):
        # a value the database cannot hold (too long, out of range) came from the request
        log.info("data refused by the database: %s", reason)
        return problem(422, "Invalid input", "a value in the request is out of range or too "
                       "long for the database")
    if isinstance(err, OperationalError):
        log.warning("database unavailable: %s", reason)
        return problem(503, "Service Unavailable",
                       "the database is unavailable, busy or not migrated; try again later",
                       headers={"Retry-After": "5"})
    return unexpected_error(err)


def unexpected_error(err: Exception) -> Response:
    """Log the traceback and tell the client nothing internal.

    Nothing is left to roll back here: every view works inside engine.db.unit_of_work,
    which rolled its transaction back as the exception passed through it.
    """
    log.exception("unexpected error: %s", err.__class__.__name__)
    return problem(500, "Internal Server Error",
                   "the server failed to handle this request; it has been logged")


def refuse_unstorable_text() -> None:
    """Refuse a query string or form holding text no database can store (a NUL, a lone
    surrogate) before any view sees it: 422 naming the field, never a driver error."""
    # the API reads its JSON bodies itself (json_object); reading a form here would spend a
    # body that route still wants to refuse as the wrong media type
    sources = [request.args] if request.path.startswith("/api/") else [request.args,
                                                                         request.form]
    for source in sources:
        for name, value in source.items(multi=True):
            check_storable({name: value}, "the request")


def register(app: Flask) -> None:
    app.before_request(refuse_unstorable_text)
    """Install the handlers on APP."""
    app.register_error_handler(OnethingError, engine_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(DBAPIError, database_error)
    app.register_error_handler(Exception, unexpected_error)
