"""Front-end packages from npm, served under /vendor/ from an allow-list of files.

``make install`` (npm) puts bpmn-js, chart.js and htmx.org in ``node_modules/``; they are
never committed. Only the distribution files pages use are reachable, each under its
package path, e.g. ``/vendor/bpmn-js/dist/bpmn-navigated-viewer.production.min.js``.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, current_app, send_from_directory
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

bp = Blueprint("vendor", __name__)

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
ALLOWED = (
    re.compile(r"bpmn-js/dist/bpmn-(viewer|navigated-viewer|modeler)"
               r"\.(production\.min|development)\.js"),
    re.compile(r"bpmn-js/dist/assets/(bpmn-js|diagram-js)\.css"),
    re.compile(r"bpmn-js/dist/assets/bpmn-font/css/bpmn(-codes|-embedded)?\.css"),
    re.compile(r"bpmn-js/dist/assets/bpmn-font/font/bpmn\.(eot|svg|ttf|woff2?)"),
    re.compile(r"chart\.js/dist/chart\.umd(\.min)?\.js"),
    re.compile(r"htmx\.org/dist/htmx(\.min)?\.js"),
)
ONE_DAY = 24 * 3600


def allowed(name: str) -> bool:
    """Whether NAME is one of the files pages may load."""
    return any(pattern.fullmatch(name) for pattern in ALLOWED)


@bp.get("/vendor/<path:name>")
def vendor(name: str) -> Response:
    """One allowed package file, or 404 naming why."""
    if not allowed(name):
        raise NotFound(f"/vendor/{name} is not a served front-end file")
    root = Path(current_app.config.get("NODE_MODULES") or NODE_MODULES)
    if not (root / name).is_file():
        raise NotFound(f"{name} is not installed; run `make install` (npm install)")
    return send_from_directory(root, name, max_age=ONE_DAY)
