"""One access line per request: method, path, status, duration, the case, the user.

Written by the app (not the HTTP server) so it can name the case a request touched
and who asked. The logger is ``onething.access``; ONETHING_ACCESS_LOG sets its level
(``info``, the default, writes every request; ``warning`` only 4xx and 5xx; ``off``
nothing). Lines are JSON, one object per line, cheap to ship and to query.
"""

from __future__ import annotations

import json
import logging
import os
import time

from flask import Flask, Response, g, request

log = logging.getLogger("onething.access")

# the route arguments that name a case (or a task of one)
CASE_ARGS = ("case_ref", "ref", "case_id", "number")
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
          "error": logging.ERROR, "off": logging.CRITICAL + 1}


def _start() -> None:
    g.access_started = time.perf_counter()


def _line(response: Response) -> Response:
    started = g.get("access_started")
    status = response.status_code
    level = logging.INFO if status < 400 else logging.WARNING
    if started is None or not log.isEnabledFor(level):
        return response
    args = request.view_args or {}
    entry = {"method": request.method, "path": request.path, "status": status,
             "ms": round((time.perf_counter() - started) * 1000, 1),
             "bytes": response.calculate_content_length()}
    for key in CASE_ARGS:
        if key in args:
            entry["case"] = str(args[key])
            break
    if "item_id" in args:
        entry["task"] = str(args["item_id"])
    actor = g.get("actor")
    if actor is not None:
        entry["user"] = getattr(actor, "username", None)
    log.log(level, "%s", json.dumps(entry, ensure_ascii=False))
    return response


def init(app: Flask) -> None:
    """Time every request of APP and write its line after the response is built."""
    name = (app.config.get("ACCESS_LOG") or os.environ.get("ONETHING_ACCESS_LOG")
            or "info").lower()
    log.setLevel(LEVELS.get(name, logging.INFO))
    app.before_request(_start)
    app.after_request(_line)
